using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Limits;
using MediaServer.Core.Metrics;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Hooks;
using MediaServer.Lifecycle;
using MediaServer.Rtsp;
using MediaServer.WebRtc;

namespace MediaServer.Configuration;

/// <summary>
/// Every section of the configuration, bound and checked once at start-up (and the reloadable
/// parts again on every change of the file). A value that does not convert, is out of range, or
/// a key no option has, is an error that names the key; all errors are reported at once.
/// </summary>
internal sealed class ServerConfiguration
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        ["Rtsp"] = typeof(RtspOptions),
        ["Http"] = typeof(HttpOptions),
        ["Streams"] = typeof(StreamOptions),
        ["WebRtc"] = typeof(WebRtcOptions),
        ["Auth"] = typeof(AuthOptions),
        ["Limits"] = typeof(ConnectionLimits),
        ["Tls"] = typeof(TlsOptions),
        ["Paths"] = typeof(List<PathOptions>),
        ["Shutdown"] = typeof(ShutdownOptions),
        ["Hooks"] = typeof(HookOptions),
        ["Metrics"] = typeof(MetricsOptions),
        ["Transport"] = typeof(TransportOptions),
        ["Sources"] = typeof(SourceOptions),
    };

    // Sections other libraries read with their own schema, and the file-location switch itself.
    private static readonly HashSet<string> FreeForm = new(StringComparer.OrdinalIgnoreCase) { "Logging", "ConfigPath" };

    private readonly List<string> _errors = [];

    private ServerConfiguration()
    {
    }

    public RtspOptions Rtsp { get; private set; } = new();

    public HttpOptions Http { get; private set; } = new();

    public StreamOptions Streams { get; private set; } = new();

    public WebRtcOptions WebRtc { get; private set; } = new();

    public AuthOptions Auth { get; private set; } = new();

    public ConnectionLimits Limits { get; private set; } = new();

    public TlsOptions Tls { get; private set; } = new();

    public ShutdownOptions Shutdown { get; private set; } = new();

    public List<PathOptions> Paths { get; private set; } = [];

    public HookOptions Hooks { get; private set; } = new();

    public MetricsOptions Metrics { get; private set; } = new();

    public TransportOptions Transport { get; private set; } = new();

    public SourceOptions Sources { get; private set; } = new();

    /// <summary>Binds and checks everything; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public static ServerConfiguration Load(IConfiguration configuration)
    {
        var loaded = new ServerConfiguration();
        loaded._errors.AddRange(UnknownKeys.Find(configuration, Sections, FreeForm));
        loaded.Rtsp = loaded.Bind<RtspOptions>(configuration, "Rtsp");
        loaded.Http = loaded.Bind<HttpOptions>(configuration, "Http");
        loaded.Streams = loaded.Bind<StreamOptions>(configuration, "Streams");
        loaded.WebRtc = loaded.Bind<WebRtcOptions>(configuration, "WebRtc");
        loaded.Limits = loaded.Bind<ConnectionLimits>(configuration, "Limits");
        loaded.Tls = loaded.Bind<TlsOptions>(configuration, "Tls");
        loaded.Shutdown = loaded.Bind<ShutdownOptions>(configuration, "Shutdown");
        loaded.Hooks = loaded.Bind<HookOptions>(configuration, "Hooks");
        loaded.Metrics = loaded.Bind<MetricsOptions>(configuration, "Metrics");
        loaded.Transport = loaded.Bind<TransportOptions>(configuration, "Transport");
        loaded.Sources = loaded.Bind<SourceOptions>(configuration, "Sources");
        loaded.LoadAccess(configuration);
        loaded.CheckRanges();
        string? format = configuration["Logging:Format"];
        if (format is not null && !format.Equals("json", StringComparison.OrdinalIgnoreCase) && !format.Equals("simple", StringComparison.OrdinalIgnoreCase))
        {
            loaded._errors.Add($"Logging:Format: '{format}' is neither 'simple' nor 'json'");
        }

        loaded.ThrowIfErrors();
        return loaded;
    }

    /// <summary>Only what may change while running (Paths, Auth), for a reload of the file.</summary>
    public static ServerConfiguration LoadAccessOnly(IConfiguration configuration)
    {
        var loaded = new ServerConfiguration();
        loaded.LoadAccess(configuration);
        loaded.ThrowIfErrors();
        return loaded;
    }

    private void LoadAccess(IConfiguration configuration)
    {
        Auth = Bind<AuthOptions>(configuration, "Auth");
        Paths = Bind<List<PathOptions>>(configuration, "Paths");
        if (Paths.Count == 0)
        {
            Paths.Add(new PathOptions { Name = "~^.+$" });
        }

        Try("Paths", () => _ = new StreamAuthorizer(Paths));
        Try("Auth:Users", () => _ = new UserDirectory(Auth));
        if (Auth.JwtSecret.Length > 0 && JwtVerifier.SecretProblem(Auth.JwtSecret) is { } secretProblem)
        {
            _errors.Add($"Auth:JwtSecret: {secretProblem}");
        }

        if (Auth.JwksPath.Length > 0)
        {
            Try("Auth:JwksPath", () => _ = new JwtVerifier(new AuthOptions { JwksPath = Auth.JwksPath }));
        }

        Positive("Auth:MaxFailuresPerMinute", Auth.MaxFailuresPerMinute);
    }

    private T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type it could not convert to.
            _errors.Add(e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})");
            return new T();
        }
    }

    private void CheckRanges()
    {
        Address("Rtsp:Address", Rtsp.Address);
        Address("Http:Address", Http.Address);
        Address("WebRtc:UdpAddress", WebRtc.UdpAddress);
        Port("Rtsp:Port", Rtsp.Port, allowOff: true);
        Port("Rtsp:TlsPort", Rtsp.TlsPort, allowOff: false);
        Port("Http:Port", Http.Port, allowOff: true);
        Port("Http:TlsPort", Http.TlsPort, allowOff: false);
        Port("WebRtc:UdpPort", WebRtc.UdpPort, allowOff: false);
        Port("Rtsp:RtpPort", Rtsp.RtpPort, allowOff: false);
        if (Rtsp.RtpPort % 2 != 0)
        {
            _errors.Add($"Rtsp:RtpPort: must be even, RTCP takes the next port (got {Rtsp.RtpPort})");
        }

        Positive("Rtsp:SessionTimeoutSeconds", Rtsp.SessionTimeoutSeconds);
        Positive("Rtsp:MaxSessionsPerConnection", Rtsp.MaxSessionsPerConnection);
        Positive("Rtsp:SenderReportIntervalSeconds", Rtsp.SenderReportIntervalSeconds);
        Positive("Rtsp:ReceiverReportIntervalSeconds", Rtsp.ReceiverReportIntervalSeconds);
        if (!Enum.IsDefined(Rtsp.JoinMode))
        {
            _errors.Add($"Rtsp:JoinMode: must be catchup, keyframe or gop (got {(int)Rtsp.JoinMode})");
        }

        AtLeast("Rtsp:JoinReplayBytesPerSecond", Rtsp.JoinReplayBytesPerSecond, 64 * 1024);
        Between("Rtsp:JoinReplayBurstBytes", Rtsp.JoinReplayBurstBytes, 1500, 16 * 1024 * 1024);
        Positive("Rtsp:Limits:MaxRequestLineLength", Rtsp.Limits.MaxRequestLineLength);
        Positive("Rtsp:Limits:MaxHeaderBytes", Rtsp.Limits.MaxHeaderBytes);
        Positive("Rtsp:Limits:MaxHeaderCount", Rtsp.Limits.MaxHeaderCount);
        Positive("Rtsp:Limits:MaxBodyLength", Rtsp.Limits.MaxBodyLength);
        Positive("Rtsp:Limits:RequestTimeoutSeconds", Rtsp.Limits.RequestTimeoutSeconds);
        Between("Rtsp:Limits:MaxInterleavedFrameLength", Rtsp.Limits.MaxInterleavedFrameLength, 12, 65535);
        Positive("Http:Limits:MaxRequestHeaderBytes", Http.Limits.MaxRequestHeaderBytes);
        Positive("Http:Limits:MaxRequestHeaderCount", Http.Limits.MaxRequestHeaderCount);
        Positive("Http:Limits:MaxRequestBodyBytes", Http.Limits.MaxRequestBodyBytes);
        Positive("Http:Limits:RequestHeadersTimeoutSeconds", Http.Limits.RequestHeadersTimeoutSeconds);
        Positive("Http:Limits:KeepAliveTimeoutSeconds", Http.Limits.KeepAliveTimeoutSeconds);
        AtLeast("Streams:ReaderQueuePackets", Streams.ReaderQueuePackets, 2);
        Positive("Streams:ReaderQueueBytes", Streams.ReaderQueueBytes);
        Positive("Streams:SegmentCacheBytes", Streams.SegmentCacheBytes);
        Positive("Streams:MaxReadersPerPath", Streams.MaxReadersPerPath);
        Positive("Streams:MaxPublishers", Streams.MaxPublishers);
        Positive("Sources:RetryMinSeconds", Sources.RetryMinSeconds);
        AtLeast("Sources:RetryMaxSeconds", Sources.RetryMaxSeconds, Sources.RetryMinSeconds);
        Positive("Sources:RequestTimeoutSeconds", Sources.RequestTimeoutSeconds);
        Positive("Sources:ReadTimeoutSeconds", Sources.ReadTimeoutSeconds);
        Positive("Streams:PacketPoolSize", Streams.PacketPoolSize);
        Between("Streams:MaxPacketBytes", Streams.MaxPacketBytes, 12, 65535);
        if (Streams.StalledReaderTimeoutSeconds < 0)
        {
            _errors.Add($"Streams:StalledReaderTimeoutSeconds: must be 0 (never disconnect a stalled reader) or more (got {Streams.StalledReaderTimeoutSeconds})");
        }

        Positive("WebRtc:ConsentTimeoutSeconds", WebRtc.ConsentTimeoutSeconds);
        Positive("WebRtc:HandshakeTimeoutSeconds", WebRtc.HandshakeTimeoutSeconds);
        Positive("WebRtc:RetransmissionHistoryPackets", WebRtc.RetransmissionHistoryPackets);
        AtLeast("WebRtc:JoinReplayBytesPerSecond", WebRtc.JoinReplayBytesPerSecond, 64 * 1024);
        Between("WebRtc:JoinReplayBurstBytes", WebRtc.JoinReplayBurstBytes, 1500, 16 * 1024 * 1024);
        Positive("WebRtc:MaxSessions", WebRtc.MaxSessions);
        Positive("WebRtc:MaxSessionsPerAddress", WebRtc.MaxSessionsPerAddress);
        Positive("WebRtc:MaxSessionsPerPrincipal", WebRtc.MaxSessionsPerPrincipal);
        Between("WebRtc:MaxPacketSize", WebRtc.MaxPacketSize, 200, 1500);

        Positive("Limits:MaxConnections", Limits.MaxConnections);
        Positive("Limits:MaxConnectionsPerAddress", Limits.MaxConnectionsPerAddress);
        Positive("Limits:MaxProbeConnectionsPerAddress", Limits.MaxProbeConnectionsPerAddress);
        Positive("Tls:HandshakeTimeoutSeconds", Tls.HandshakeTimeoutSeconds);
        if (Tls.IsEnabled)
        {
            Try("Tls:CertificatePath", () => TlsCertificate.Load(Tls).Dispose());
        }

        Positive("Shutdown:GracePeriodSeconds", Shutdown.GracePeriodSeconds);
        Positive("Hooks:TimeoutSeconds", Hooks.TimeoutSeconds);
        Positive("Metrics:MaxPathLabels", Metrics.MaxPathLabels);
        Port("Metrics:Port", Metrics.Port, allowOff: true);
        Address("Metrics:Address", Metrics.Address);
        if (Hooks.WebhookUrl.Length > 0 &&
            (!Uri.TryCreate(Hooks.WebhookUrl, UriKind.Absolute, out Uri? webhook) || (webhook.Scheme != Uri.UriSchemeHttp && webhook.Scheme != Uri.UriSchemeHttps)))
        {
            _errors.Add($"Hooks:WebhookUrl: '{Hooks.WebhookUrl}' is not an http or https URL");
        }
    }

    private void Try(string key, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException
            or System.Security.Cryptography.CryptographicException or KeyNotFoundException or InvalidOperationException)
        {
            // A message that already names a key under this one (Auth:Users:2:Password) says it alone.
            _errors.Add(e.Message.StartsWith(key + ":", StringComparison.Ordinal) ? e.Message : $"{key}: {e.Message}");
        }
    }

    private void Positive(string key, double value)
    {
        if (value <= 0)
        {
            _errors.Add($"{key}: must be greater than 0 (got {value})");
        }
    }

    private void Between(string key, int value, int minimum, int maximum)
    {
        if (value < minimum || value > maximum)
        {
            _errors.Add($"{key}: must be between {minimum} and {maximum} (got {value})");
        }
    }

    private void AtLeast(string key, double value, double minimum)
    {
        if (value < minimum)
        {
            _errors.Add($"{key}: must be at least {minimum} (got {value})");
        }
    }

    private void Port(string key, int port, bool allowOff)
    {
        if (port < (allowOff ? -1 : 0) || port > 65535)
        {
            _errors.Add($"{key}: must be a port from {(allowOff ? "-1 (off)" : "0 (any free one)")} to 65535 (got {port})");
        }
    }

    private void Address(string key, string address)
    {
        if (!IPAddress.TryParse(address, out _))
        {
            _errors.Add($"{key}: '{address}' is not an IP address");
        }
    }

    private void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigurationException(_errors);
        }
    }
}
