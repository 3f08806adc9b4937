using System.Net;
using MediaServer.Core.Limits;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MediaServer.Http;

/// <summary>
/// The host's HTTP layer: its services (authentication, probe-only admission, the metrics
/// listener), its request pipeline ahead of every endpoint, its Kestrel limits and its listeners.
/// </summary>
internal static class HttpRegistration
{
    public static IServiceCollection AddHttpLayer(this IServiceCollection services, HttpOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<HttpAuthentication>();
        services.AddSingleton<ProbeOnlyRequests>();
        services.AddSingleton<MetricsListener>();
        return services;
    }

    /// <summary>Probe-only connections first, then the metrics listener's own routing, then authentication.</summary>
    public static void UseHttpLayer(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<ProbeOnlyRequests>().InvokeAsync);
        app.Use(app.Services.GetRequiredService<MetricsListener>().InvokeAsync);
        app.Use(app.Services.GetRequiredService<HttpAuthentication>().InvokeAsync);
    }

    public static void ApplyHttpLimits(this KestrelServerOptions kestrel, HttpLimits http)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestHeadersTotalSize = http.MaxRequestHeaderBytes;
        kestrel.Limits.MaxRequestHeaderCount = http.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(http.RequestHeadersTimeoutSeconds);
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(http.KeepAliveTimeoutSeconds);
    }

    /// <summary>An HTTP listener (HTTPS when <paramref name="https"/> is given) behind the connection limits.</summary>
    /// <param name="listening">Given the listener, for example to read the port it bound.</param>
    public static void ListenHttp(this KestrelServerOptions kestrel, IPEndPoint endPoint,
        Action<ListenOptions> listening, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        ConnectionLimiter limiter = kestrel.ApplicationServices.GetRequiredService<ConnectionLimiter>();
        ILogger logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Http.Connections");
        kestrel.Listen(endPoint, listen =>
        {
            listening(listen);
            listen.Use(HttpConnectionLimit.Create(limiter, logger, tls: https is not null));
            if (https is not null)
            {
                listen.UseHttps(https);
            }
        });
    }
}
