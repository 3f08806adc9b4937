using System.Net;
using System.Security.Cryptography.X509Certificates;
using MediaServer.Api;
using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Limits;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Hooks;
using MediaServer.Http;
using MediaServer.Lifecycle;
using MediaServer.Rtsp;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Whep;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

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
        string configPath = ConfigFile(args);
        configuration.AddJsonFile(configPath, optional: true, reloadOnChange: true);
        configuration.AddEnvironmentVariables("MEDIASERVER__");
        configuration.AddCommandLine(args);

        var config = ServerConfiguration.Load(configuration);
        RtspOptions rtspOptions = config.Rtsp;
        HttpOptions httpOptions = config.Http;
        StreamOptions streamOptions = config.Streams;
        WebRtcOptions webRtcOptions = config.WebRtc;
        AuthOptions authOptions = config.Auth;
        ConnectionLimits connectionLimits = config.Limits;
        TlsOptions tlsOptions = config.Tls;
        List<PathOptions> paths = config.Paths;
        MetricsOptions metricsOptions = config.Metrics;

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        // The host's own start-up lines name every TCP listener http://, RTSP included: the server
        // logs its listeners itself (StartupLog), each with its scheme and setting.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line, scopes (connection, session, path) as fields, for log shippers.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        IServiceCollection services = builder.Services;
        services.AddSingleton(rtspOptions);
        services.AddSingleton(httpOptions);
        services.AddSingleton(streamOptions);
        services.AddSingleton(new StreamAuthorizer(paths));
        services.AddSingleton(new UserDirectory(authOptions));
        services.AddSingleton(new JwtVerifier(authOptions));
        services.AddSingleton(new AuthFailureLimiter(authOptions.MaxFailuresPerMinute));
        services.AddSingleton(new ConnectionLimiter(connectionLimits));
        services.AddSingleton<HttpAuthentication>();
        services.AddSingleton<ProbeOnlyRequests>();
        services.AddSingleton(config.Shutdown);
        services.AddSingleton<ServerState>();
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<AccessReloader>();
        services.AddSingleton<AccessRevoker>();
        services.AddSingleton(config.Hooks);
        services.AddHostedService<HookRunner>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.Shutdown.GracePeriodSeconds));
        var metricsListener = new MetricsListener();
        services.AddSingleton(metricsListener);
        services.AddSingleton(sp => new IsolationGuard(sp.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Isolation")));
        services.AddSingleton(sp => new MediaPacketPool(streamOptions.PacketPoolSize, sp.GetRequiredService<IsolationGuard>()));
        services.AddSingleton(new PathLabels(metricsOptions.MaxPathLabels));
        services.AddSingleton(sp => new StreamRegistry(
            streamOptions, sp.GetRequiredService<MediaPacketPool>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<StreamRegistry>(),
            sp.GetRequiredService<PathLabels>()));
        if (rtspOptions.EnableUdp)
        {
            services.AddSingleton<RtspUdpTransport>();
        }

        services.AddSingleton(sp => new RtspServerContext(
            rtspOptions,
            sp.GetRequiredService<StreamRegistry>(),
            sp.GetRequiredService<StreamAuthorizer>(),
            sp.GetService<RtspUdpTransport>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<UserDirectory>(),
            sp.GetRequiredService<AuthFailureLimiter>())
        {
            // A client on this host may not declare the WebRTC socket's port as its RTP/RTCP port either.
            OtherServerUdpPorts = sp.GetService<WebRtcUdpTransport>() is { } webRtcUdp ? [webRtcUdp.Port] : [],
        });
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

        services.AddSingleton(sp => new SessionDirectory(sp.GetRequiredService<RtspServerContext>(), sp.GetService<WebRtcServer>()));
        services.AddSingleton<RateSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<RateSampler>());

        X509Certificate2? certificate = tlsOptions.IsEnabled ? TlsCertificate.Load(tlsOptions) : null;
        var ports = new BoundPorts();
        using var listenerSockets = new ListenerSockets();
        IPAddress rtspAddress = IPAddress.Parse(rtspOptions.Address);
        IPAddress httpAddress = IPAddress.Parse(httpOptions.Address);
        IPEndPoint? rtspEndPoint = rtspOptions.Port >= 0 ? listenerSockets.Bind(rtspAddress, rtspOptions.Port, "Rtsp:Port", "rtsp") : null;
        IPEndPoint? httpEndPoint = httpOptions.Port >= 0 ? listenerSockets.Bind(httpAddress, httpOptions.Port, "Http:Port", "http") : null;
        IPEndPoint? metricsEndPoint = metricsOptions.Port >= 0
            ? listenerSockets.Bind(IPAddress.Parse(metricsOptions.Address), metricsOptions.Port, "Metrics:Port", "http")
            : null;
        IPEndPoint? rtspsEndPoint = certificate is not null ? listenerSockets.Bind(rtspAddress, rtspOptions.TlsPort, "Rtsp:TlsPort", "rtsps") : null;
        IPEndPoint? httpsEndPoint = certificate is not null ? listenerSockets.Bind(httpAddress, httpOptions.TlsPort, "Http:TlsPort", "https") : null;
        if (config.Transport.InlineSocketCompletions)
        {
            // Read by the runtime when it makes its first socket engine, which has not happened yet
            // in a server process (in a test process with earlier hosts it may have: then only
            // Kestrel's half applies).
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = config.Transport.InlineScheduling;
            sockets.CreateBoundListenSocket = listenerSockets.TakeOver;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Runs when the server starts, with the application's services built.
            ConnectionLimiter limiter = kestrel.ApplicationServices.GetRequiredService<ConnectionLimiter>();
            ILogger connections = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Http.Connections");
            ILogger rtspConnections = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<RtspConnectionHandler>();
            HttpLimits http = httpOptions.Limits;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = http.MaxRequestHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = http.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(http.RequestHeadersTimeoutSeconds);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(http.KeepAliveTimeoutSeconds);
            if (rtspEndPoint is not null)
            {
                kestrel.Listen(rtspEndPoint, listen =>
                {
                    ports.Rtsp = listen;
                    listen.Use(ConnectionLimitMiddleware.Create(limiter, rtspConnections, "RTSP"));
                    listen.UseConnectionHandler<RtspConnectionHandler>();
                });
            }

            if (httpEndPoint is not null)
            {
                kestrel.Listen(httpEndPoint, listen =>
                {
                    ports.Http = listen;
                    listen.Use(HttpConnectionLimit.Create(limiter, connections, tls: false));
                });
            }

            if (metricsEndPoint is not null)
            {
                kestrel.Listen(metricsEndPoint, listen =>
                {
                    ports.Metrics = listen;
                    metricsListener.Listen = listen;
                    listen.Use(HttpConnectionLimit.Create(limiter, connections, tls: false));
                });
            }

            if (certificate is not null && rtspsEndPoint is not null && httpsEndPoint is not null)
            {
                Action<HttpsConnectionAdapterOptions> https = o =>
                {
                    o.ServerCertificate = certificate;
                    o.HandshakeTimeout = TimeSpan.FromSeconds(tlsOptions.HandshakeTimeoutSeconds);
                };
                kestrel.Listen(rtspsEndPoint, listen =>
                {
                    ports.Rtsps = listen;
                    listen.Use(ConnectionLimitMiddleware.Create(limiter, rtspConnections, "RTSP"));
                    listen.UseHttps(https);
                    listen.UseConnectionHandler<RtspConnectionHandler>();
                });
                kestrel.Listen(httpsEndPoint, listen =>
                {
                    ports.Https = listen;
                    listen.Use(HttpConnectionLimit.Create(limiter, connections, tls: true));
                    listen.UseHttps(https);
                });
            }
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
            app.Use(app.Services.GetRequiredService<ProbeOnlyRequests>().InvokeAsync);
            app.Use(metricsListener.InvokeAsync);
            app.Use(app.Services.GetRequiredService<HttpAuthentication>().InvokeAsync);
            HealthEndpoints.Map(app);
            HttpEndpoints.Map(app);
            ApiEndpoints.Map(app);
            WhepEndpoints.Map(app);
            PlayerEndpoints.Map(app);
            app.Lifetime.ApplicationStopping.Register(app.Services.GetRequiredService<GracefulShutdown>().Drain);
            IngestMeters.Attach(app.Services.GetRequiredService<StreamRegistry>());
            await app.StartAsync(cancellationToken);
            app.Services.GetRequiredService<AccessReloader>().Start();
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
