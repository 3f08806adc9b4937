using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Http;
using MediaServer.Rtsp;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Whep;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MediaServer;

/// <summary>
/// The whole server in one object: configuration (config/mediaserver.json, then MEDIASERVER__*
/// environment variables, then command-line arguments), the RTSP listener and UDP sockets, and
/// the HTTP endpoints. Tests start it in-process on ports chosen at run time.
/// </summary>
public sealed class MediaServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MediaServerHost(WebApplication app, int rtspPort, int httpPort, int webRtcPort)
    {
        _app = app;
        RtspPort = rtspPort;
        HttpPort = httpPort;
        WebRtcPort = webRtcPort;
    }

    public int RtspPort { get; }

    public int HttpPort { get; }

    /// <summary>The ICE-lite UDP port, or 0 when WebRTC is disabled.</summary>
    public int WebRtcPort { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Packets refused by the isolation guard in this process; 0 in a correct server.</summary>
    public long IsolationViolations => IsolationGuard.Violations;

    public static async Task<MediaServerHost> StartAsync(string[] args, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigurationManager configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "mediaserver.json"), optional: true);
        configuration.AddEnvironmentVariables("MEDIASERVER__");
        configuration.AddCommandLine(args);

        var rtspOptions = configuration.GetSection("Rtsp").Get<RtspOptions>() ?? new RtspOptions();
        var httpOptions = configuration.GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        var streamOptions = configuration.GetSection("Streams").Get<StreamOptions>() ?? new StreamOptions();
        var webRtcOptions = configuration.GetSection("WebRtc").Get<WebRtcOptions>() ?? new WebRtcOptions();
        List<PathOptions> paths = configuration.GetSection("Paths").Get<List<PathOptions>>() ?? [];
        if (paths.Count == 0)
        {
            paths.Add(new PathOptions { Name = "~^.+$" });
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        IServiceCollection services = builder.Services;
        services.AddSingleton(rtspOptions);
        services.AddSingleton(httpOptions);
        services.AddSingleton(streamOptions);
        services.AddSingleton(new StreamAuthorizer(paths));
        services.AddSingleton(new MediaPacketPool(streamOptions.PacketPoolSize));
        services.AddSingleton(sp => new StreamRegistry(streamOptions, sp.GetRequiredService<MediaPacketPool>()));
        if (rtspOptions.EnableUdp)
        {
            services.AddSingleton<RtspUdpTransport>();
        }

        services.AddSingleton(sp => new RtspServerContext(
            rtspOptions,
            sp.GetRequiredService<StreamRegistry>(),
            sp.GetRequiredService<StreamAuthorizer>(),
            sp.GetService<RtspUdpTransport>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<RtspConnectionHandler>();
        services.AddHostedService<SessionReaper>();
        if (webRtcOptions.Enabled)
        {
            services.AddSingleton(webRtcOptions);
            services.AddSingleton<WebRtcUdpTransport>();
            services.AddSingleton(_ => DtlsCertificate.FromOptions(webRtcOptions, DateTimeOffset.UtcNow));
            services.AddSingleton<WebRtcServer>();
            services.AddHostedService<WebRtcSessionReaper>();
        }

        ListenOptions? rtspListen = null;
        ListenOptions? httpListen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(rtspOptions.Address), rtspOptions.Port, listen =>
            {
                rtspListen = listen;
                listen.UseConnectionHandler<RtspConnectionHandler>();
            });
            kestrel.Listen(IPAddress.Parse(httpOptions.Address), httpOptions.Port, listen => httpListen = listen);
        });

        WebApplication app = builder.Build();
        IsolationGuard.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Isolation");
        _ = app.Services.GetService<RtspUdpTransport>();
        HttpEndpoints.Map(app);
        WhepEndpoints.Map(app);
        PlayerEndpoints.Map(app);
        WebRtcServer? webRtc = app.Services.GetService<WebRtcServer>();
        await app.StartAsync(cancellationToken);

        return new MediaServerHost(app, rtspListen!.IPEndPoint!.Port, httpListen!.IPEndPoint!.Port, webRtc?.Transport.Port ?? 0);
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        RtspServerContext context = _app.Services.GetRequiredService<RtspServerContext>();
        foreach (MediaStream stream in context.Registry.Streams)
        {
            context.Registry.Unpublish(stream);
        }

        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }
}
