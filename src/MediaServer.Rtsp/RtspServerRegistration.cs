using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Limits;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Client;
using MediaServer.Rtsp.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp;

/// <summary>
/// How a host takes the RTSP server in: <see cref="AddRtspServer"/> registers its services and
/// <see cref="ListenRtsp"/> puts it behind a Kestrel listener. It needs from the host the stream
/// core (<see cref="StreamRegistry"/>, <see cref="StreamAuthorizer"/>, <see cref="UserDirectory"/>,
/// <see cref="AuthFailureLimiter"/>, <see cref="ConnectionLimiter"/>) and logging. It also offers the
/// RTSP client that pulls cameras, as an <see cref="ISourceConnector"/>.
/// </summary>
public static class RtspServerRegistration
{
    /// <param name="otherServerUdpPorts">
    /// The UDP ports other servers of the host hold (the WebRTC socket), which a client on this
    /// host may not declare as its RTP/RTCP ports either; none when null.
    /// </param>
    public static IServiceCollection AddRtspServer(this IServiceCollection services, RtspOptions options,
        Func<IServiceProvider, IReadOnlyCollection<int>>? otherServerUdpPorts = null)
    {
        services.AddSingleton(options);
        if (options.EnableUdp)
        {
            services.AddSingleton<RtspUdpTransport>();
        }

        services.AddSingleton(sp => new RtspServerContext(
            options,
            sp.GetRequiredService<StreamRegistry>(),
            sp.GetRequiredService<StreamAuthorizer>(),
            sp.GetService<RtspUdpTransport>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<UserDirectory>(),
            sp.GetRequiredService<AuthFailureLimiter>())
        {
            OtherServerUdpPorts = otherServerUdpPorts?.Invoke(sp) ?? [],
        });
        services.AddSingleton<RtspConnectionHandler>();
        services.AddHostedService<SessionReaper>();
        // The client side: the host's SourceDirectory pulls rtsp:// and rtsps:// cameras with it.
        services.AddSingleton<ISourceConnector, RtspSourceConnector>();
        return services;
    }

    /// <summary>
    /// An RTSP listener (RTSPS when <paramref name="https"/> is given): the connection limits at
    /// accept, then TLS, then one <see cref="RtspConnection"/> per connection. Call it from
    /// <c>ConfigureKestrel</c>, where the application's services are built.
    /// </summary>
    /// <param name="listening">Given the listener, for example to read the port it bound.</param>
    public static void ListenRtsp(this KestrelServerOptions kestrel, IPEndPoint endPoint,
        Action<ListenOptions>? listening = null, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        IServiceProvider services = kestrel.ApplicationServices;
        ConnectionLimiter limiter = services.GetRequiredService<ConnectionLimiter>();
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<RtspConnectionHandler>();
        kestrel.Listen(endPoint, listen =>
        {
            listening?.Invoke(listen);
            listen.Use(ConnectionLimitMiddleware.Create(limiter, logger, "RTSP"));
            if (https is not null)
            {
                listen.UseHttps(https);
            }

            listen.UseConnectionHandler<RtspConnectionHandler>();
        });
    }
}
