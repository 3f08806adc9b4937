using System.Security.Cryptography.X509Certificates;
using MediaServer.Api;
using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Metrics;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Hosting;
using MediaServer.Http;
using MediaServer.Lifecycle;
using MediaServer.Rtsp;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;

namespace MediaServer;

/// <summary>
/// The whole server in one object: configuration (config/mediaserver.json, then MEDIASERVER__*
/// environment variables, then command-line arguments), the RTSP listener and UDP sockets, and
/// the HTTP endpoints. Tests start it in-process on ports chosen at run time.
/// </summary>
public sealed class MediaServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MediaServerHost(WebApplication app, BoundPorts ports, int webRtcPort)
    {
        _app = app;
        RtspPort = ports.Port(ports.Rtsp);
        RtspTlsPort = ports.Port(ports.Rtsps);
        HttpPort = ports.Port(ports.Http);
        HttpTlsPort = ports.Port(ports.Https);
        MetricsPort = ports.Port(ports.Metrics);
        WebRtcPort = webRtcPort;
    }

    /// <summary>The plain RTSP port, or 0 when it is turned off.</summary>
    public int RtspPort { get; }

    /// <summary>The RTSPS port, or 0 without a TLS certificate.</summary>
    public int RtspTlsPort { get; }

    /// <summary>The plain HTTP port, or 0 when it is turned off.</summary>
    public int HttpPort { get; }

    /// <summary>The HTTPS port, or 0 without a TLS certificate.</summary>
    public int HttpTlsPort { get; }

    /// <summary>The dedicated metrics port, or 0 when /metrics is served on the HTTP listeners.</summary>
    public int MetricsPort { get; }

    /// <summary>The ICE-lite UDP port, or 0 when WebRTC is disabled.</summary>
    public int WebRtcPort { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Packets refused by this server's isolation guard; 0 in a correct server.</summary>
    public long IsolationViolations => _app.Services.GetRequiredService<IsolationGuard>().Violations;

    public static async Task<MediaServerHost> StartAsync(string[] args, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigurationManager configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddJsonFile(ConfigFile(args), optional: true, reloadOnChange: true);
        configuration.AddEnvironmentVariables("MEDIASERVER__");
        configuration.AddCommandLine(args);
        var config = ServerConfiguration.Load(configuration);

        builder.Logging.AddServerLogging(configuration);

        builder.Services
            .AddStreamCore(config)
            .AddHttpLayer(config.Http)
            .AddOperations(config)
            // A client on this host may not declare the WebRTC socket's port as its RTP/RTCP port either.
            .AddRtspServer(config.Rtsp, sp => sp.GetService<WebRtcUdpTransport>() is { } webRtcUdp ? [webRtcUdp.Port] : [])
            .AddWebRtcServer(config.WebRtc)
            .AddApi();

        X509Certificate2? certificate = config.Tls.IsEnabled ? TlsCertificate.Load(config.Tls) : null;
        using var listenerSockets = new ListenerSockets();
        var listeners = new ServerListeners(config, certificate, listenerSockets);
        ProcessSettings.Apply(config.Transport);
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = config.Transport.InlineScheduling;
            sockets.CreateBoundListenSocket = listenerSockets.TakeOver;
        });
        var ports = new BoundPorts();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ApplyHttpLimits(config.Http.Limits);
            listeners.Configure(kestrel, ports);
        });

        WebApplication app = builder.Build();
        WebRtcServer? webRtc;
        try
        {
            // The UDP sockets bind now, before the host starts, so a busy port stops start-up with
            // one line (PortBindException) rather than a hosted service's failure.
            RtspUdpTransport? rtspUdp = app.Services.GetService<RtspUdpTransport>();
            webRtc = app.Services.GetService<WebRtcServer>();
            ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
            app.Services.GetRequiredService<UserDirectory>().LogStartup(loggers.CreateLogger("MediaServer.Auth"));

            app.UseHttpLayer();
            app.MapHealth();
            app.MapMetrics();
            app.MapApi();
            app.MapWhep();
            app.MapWhip();
            app.MapPlayer();

            app.Lifetime.ApplicationStopping.Register(app.Services.GetRequiredService<GracefulShutdown>().Drain);
            IngestMeters.Attach(app.Services.GetRequiredService<StreamRegistry>());
            await app.StartAsync(cancellationToken);
            app.Services.GetRequiredService<AccessReloader>().Start();
            app.Services.GetRequiredService<SourceDirectory>().Start();
            app.Services.GetRequiredService<ServerState>().MarkStarted();
            StartupLog.Write(loggers.CreateLogger("MediaServer.Startup"), listenerSockets.Listeners, rtspUdp);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new MediaServerHost(app, ports, webRtc?.Transport.Port ?? 0);
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>
    /// The configuration file: <c>--ConfigPath=FILE</c> on the command line or
    /// <c>MEDIASERVER__ConfigPath</c>, else config/mediaserver.json beside the executable.
    /// </summary>
    internal static string ConfigFile(string[] args)
    {
        IConfiguration early = new ConfigurationBuilder().AddEnvironmentVariables("MEDIASERVER__").AddCommandLine(args).Build();
        string? path = early["ConfigPath"];
        return string.IsNullOrEmpty(path) ? Path.Combine(AppContext.BaseDirectory, "config", "mediaserver.json") : Path.GetFullPath(path);
    }

    public async ValueTask DisposeAsync()
    {
        _app.Services.GetRequiredService<AccessReloader>().Stop();
        IngestMeters.Detach(_app.Services.GetRequiredService<StreamRegistry>());

        // Stopping drains every session and publication (GracefulShutdown, on ApplicationStopping).
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }
}
