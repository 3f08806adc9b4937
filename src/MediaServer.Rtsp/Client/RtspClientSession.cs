using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using MediaServer.Core.Sources;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// One RTSP session with a camera: OPTIONS, DESCRIBE and a SETUP per track on one connection, then
/// PLAY, keep-alives at half the session timeout while it plays, and TEARDOWN at its end.
/// </summary>
internal sealed class RtspClientSession : IAsyncDisposable
{
    /// <summary>How many redirects (3xx with a Location) one open follows.</summary>
    private const int MaxRedirects = 3;

    private readonly SourceUri _uri;
    private readonly ILogger _logger;
    private readonly bool _keepAliveWithGetParameter;
    private Timer? _keepAlive;
    private int _disposed;

    private RtspClientSession(SourceUri uri, RtspControlConnection control, CameraDescription camera, bool keepAliveWithGetParameter, ILogger logger)
    {
        _uri = uri;
        Control = control;
        Camera = camera;
        _keepAliveWithGetParameter = keepAliveWithGetParameter;
        _logger = logger;
    }

    public RtspControlConnection Control { get; }

    public CameraDescription Camera { get; }

    /// <summary>The tracks as set up now (set up again over TCP after a UDP fallback).</summary>
    public PulledTrack[] Tracks { get; private set; } = [];

    public bool IsUdp { get; private set; }

    public SessionHeader Session { get; private set; }

    /// <summary>What travels how: <c>udp</c>, <c>tcp</c> or <c>tls</c>.</summary>
    public string TransportName => IsUdp ? "udp" : Control.IsSecure ? "tls" : "tcp";

    /// <summary>The keep-alive request's method: GET_PARAMETER when the camera's OPTIONS lists it.</summary>
    public string KeepAliveMethod => _keepAliveWithGetParameter ? "GET_PARAMETER" : "OPTIONS";

    /// <summary>
    /// Connects, describes and sets up every track, following a camera's redirects. With the
    /// automatic transport, a 461 to the first UDP SETUP sets the tracks up over TCP on the same
    /// connection. Throws <see cref="SourceException"/> (or <see cref="TransportRefusedException"/>
    /// for a 461 that cannot be taken back on this connection).
    /// </summary>
    public static async Task<RtspClientSession> OpenAsync(SourceUri uri, SourceConnectOptions options, bool udp, ILogger logger, CancellationToken cancellationToken)
    {
        for (int redirects = 0; ; redirects++)
        {
            try
            {
                return await OpenOnceAsync(uri, options, udp, logger, cancellationToken);
            }
            catch (CameraRedirect redirect) when (redirects < MaxRedirects)
            {
                logger.LogDebug("{Source} redirects to {Location}", uri, ControlUrl.WithoutCredentials(redirect.Location));
                uri = Redirected(uri, redirect.Location);
            }
            catch (CameraRedirect redirect)
            {
                throw new SourceException(SourceFailureReason.Refused, $"{uri} redirected more than {MaxRedirects} times (last to {ControlUrl.WithoutCredentials(redirect.Location)})");
            }
        }
    }

    /// <summary>
    /// After PLAY over UDP brought nothing: TEARDOWN, and the tracks set up and played over TCP on
    /// the same connection (a camera just closed and reopened may still be tearing its media down
    /// and answer 503). Throws <see cref="SourceException"/> when the camera does not go along.
    /// </summary>
    public async Task SwitchToTcpAsync(CancellationToken cancellationToken)
    {
        await StopKeepAliveAsync();
        RtspResponse answer = await Control.RequestAsync("TEARDOWN", Camera.AggregateUrl, [], cancellationToken);
        EnsureOk(answer, "TEARDOWN");
        CloseSockets();
        Control.SessionId = null;
        await SetUpAsync(udp: false, mayFallBack: false, cancellationToken);
    }

    private static async Task<RtspClientSession> OpenOnceAsync(SourceUri uri, SourceConnectOptions options, bool udp, ILogger logger, CancellationToken cancellationToken)
    {
        RtspControlConnection control = await RtspControlConnection.ConnectAsync(uri, options.RequestTimeout, cancellationToken);
        RtspClientSession? session = null;
        try
        {
            RtspResponse answer = await control.RequestAsync("OPTIONS", uri.RequestUri, [], cancellationToken);
            if (answer.Status is RtspStatusCode.Unauthorized or RtspStatusCode.Forbidden)
            {
                EnsureOk(answer, "OPTIONS");
            }

            // Some cameras answer OPTIONS oddly and still serve; only what it lists matters here.
            bool getParameter = answer.Headers.Get(RtspHeaderNames.Public) is { } methods
                && methods.Split(',', StringSplitOptions.TrimEntries).Contains("GET_PARAMETER", StringComparer.OrdinalIgnoreCase);

            answer = await control.RequestAsync("DESCRIBE", uri.RequestUri, [("Accept", "application/sdp")], cancellationToken);
            if (answer.StatusCode is 301 or 302 or 303 or 307 or 308 && answer.Headers.Get("Location") is { } location)
            {
                throw new CameraRedirect(location);
            }

            EnsureOk(answer, "DESCRIBE");
            session = new RtspClientSession(uri, control, CameraDescription.FromDescribe(answer, uri.RequestUri), getParameter, logger);
            await session.SetUpAsync(udp, mayFallBack: udp && options.Transport == SourceTransport.Automatic, cancellationToken);
            return session;
        }
        catch
        {
            session?.CloseSockets();
            await control.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync(bool udp, bool mayFallBack, CancellationToken cancellationToken)
    {
        var tracks = new PulledTrack[Camera.SetupUrls.Count];
        Tracks = tracks;
        IsUdp = udp;
        for (int i = 0; i < tracks.Length; i++)
        {
            MediaDescription media = Camera.Description.Media[i];
            var track = new PulledTrack(i, Camera.SetupUrls[i], MediaFormat.FromMediaDescription(media).ClockRate);
            tracks[i] = track;
            TransportSpec offer = udp
                ? OfferUdp(track, Control)
                : new TransportSpec { Protocol = "RTP/AVP/TCP", Lower = LowerTransport.Tcp, Interleaved = (2 * i, (2 * i) + 1) };
            RtspResponse answer = await Control.RequestAsync("SETUP", track.SetupUrl, [(RtspHeaderNames.Transport, offer.Format())], cancellationToken);
            if (udp && answer.Status == RtspStatusCode.UnsupportedTransport)
            {
                if (!mayFallBack)
                {
                    throw new TransportRefusedException($"SETUP {track.SetupUrl} over UDP answered 461");
                }

                // Before any track has a session, the same connection can simply ask for TCP.
                if (i == 0)
                {
                    _logger.LogDebug("{Source} refused UDP with 461; setting up over TCP", _uri);
                    CloseSockets();
                    await SetUpAsync(udp: false, mayFallBack: false, cancellationToken);
                    return;
                }

                throw new TransportRefusedException($"SETUP {track.SetupUrl} over UDP answered 461 after an earlier track was set up over UDP");
            }

            EnsureOk(answer, "SETUP");
            if (Control.SessionId is null)
            {
                if (!SessionHeader.TryParse(answer.Headers.Get(RtspHeaderNames.Session), out SessionHeader session))
                {
                    throw new SourceException(SourceFailureReason.Protocol, $"SETUP {track.SetupUrl} answered without a Session header");
                }

                Session = session;
                Control.SessionId = session.Id;
            }

            ApplyReply(track, offer, answer, udp, Control.RemoteAddress);
        }

        _logger.LogDebug("Set up {Tracks} track(s) of {Source} over {Transport}", tracks.Length, _uri, udp ? "udp" : "tcp");
    }

    public async Task PlayAsync(CancellationToken cancellationToken)
    {
        RtspResponse answer = await Control.RequestAsync("PLAY", Camera.AggregateUrl, [("Range", "npt=0.000-")], cancellationToken);
        EnsureOk(answer, "PLAY");
        TimeSpan period = TimeSpan.FromSeconds(Math.Max(1, Session.TimeoutSeconds) / 2.0);
        _keepAlive = new Timer(_ => _ = KeepAliveAsync(), null, period, period);
    }

    /// <summary>While media plays over UDP: reads the keep-alives' answers, and fails with Ended when the camera closes.</summary>
    public async Task WatchControlAsync(CancellationToken cancellationToken)
    {
        var response = new RtspResponse();
        PipeReader input = Control.Input;

        // Stopped by a cancelled pending read, not by cancelling the socket's: the connection
        // goes on carrying requests (TEARDOWN, a TCP SETUP) after a UDP play.
        using CancellationTokenRegistration stop = cancellationToken.UnsafeRegister(static s => ((PipeReader)s!).CancelPendingRead(), input);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(CancellationToken.None);
            }
            catch (IOException e)
            {
                throw new SourceException(SourceFailureReason.Ended, $"the camera's connection failed: {e.Message}", e);
            }

            if (result.IsCanceled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            while (!buffer.IsEmpty)
            {
                InterleavedReadStatus frame = InterleavedFrame.TryRead(ref buffer, out _, out _);
                if (frame == InterleavedReadStatus.Complete)
                {
                    continue;
                }

                if (frame == InterleavedReadStatus.Incomplete)
                {
                    break;
                }

                RtspParseStatus status = Control.Parser.TryParse(ref buffer, response, out string? error);
                if (status == RtspParseStatus.Rejected)
                {
                    throw new SourceException(SourceFailureReason.Protocol, $"the camera sent a malformed answer: {error}");
                }

                if (status == RtspParseStatus.Incomplete)
                {
                    break;
                }

                OnAnswerWhilePlaying(response);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new SourceException(SourceFailureReason.Ended, "the camera closed the connection");
            }
        }
    }

    /// <summary>An answer read while playing: a keep-alive's. A session the camera forgot ends the attempt soon (no media).</summary>
    public void OnAnswerWhilePlaying(RtspResponse response)
    {
        if (response.StatusCode >= 300)
        {
            _logger.LogDebug("{Source} answered a keep-alive with {Status} {Reason}", _uri, response.StatusCode, response.ReasonPhrase);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopKeepAliveAsync();

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Control.SendAsync("TEARDOWN", Camera.AggregateUrl, [], deadline.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The camera is gone already; there is nobody to tell.
        }

        CloseSockets();
        await Control.DisposeAsync();
    }

    internal static void EnsureOk(RtspResponse answer, string method)
    {
        int status = answer.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }

        SourceFailureReason reason = status switch
        {
            401 or 403 => SourceFailureReason.Unauthorized,
            404 => SourceFailureReason.NotFound,
            _ => SourceFailureReason.Refused,
        };
        throw new SourceException(reason, $"{method} answered {status} {answer.ReasonPhrase}");
    }

    /// <summary>
    /// The camera's redirect target, with the URL's credentials when it is on the same host and
    /// names none of its own: a redirect cannot hand the operator's password to another host.
    /// </summary>
    private static SourceUri Redirected(SourceUri from, string location)
    {
        if (!SourceUri.TryParse(location, out SourceUri? target, out string? error))
        {
            throw new SourceException(SourceFailureReason.Protocol, $"{from} redirects to '{ControlUrl.WithoutCredentials(location)}', which is no RTSP URL: {error}");
        }

        if (target.User is not null || from.User is null || !string.Equals(target.Host, from.Host, StringComparison.OrdinalIgnoreCase))
        {
            return target;
        }

        string credentials = Uri.EscapeDataString(from.User) + (from.Password is null ? string.Empty : ":" + Uri.EscapeDataString(from.Password));
        string host = target.Host;
        return SourceUri.TryParse($"{target.Scheme}://{credentials}@{host}:{target.Port}{target.PathAndQuery}", out SourceUri? withCredentials, out _)
            ? withCredentials
            : target;
    }

    private static TransportSpec OfferUdp(PulledTrack track, RtspControlConnection control)
    {
        track.Udp = UdpPortPair.Bind(control.LocalAddress);
        return new TransportSpec { Protocol = "RTP/AVP", Lower = LowerTransport.Udp, ClientPort = (track.Udp.RtpPort, track.Udp.RtcpPort) };
    }

    private static void ApplyReply(PulledTrack track, TransportSpec offer, RtspResponse answer, bool udp, IPAddress remote)
    {
        string? header = answer.Headers.Get(RtspHeaderNames.Transport);
        if (header is null || !TransportHeader.TryParse(header, out IReadOnlyList<TransportSpec> specs, out string? error))
        {
            throw new SourceException(SourceFailureReason.Protocol, $"SETUP {track.SetupUrl}: the answer's Transport is missing or malformed ({header})");
        }

        TransportSpec reply = specs[0];
        if (udp)
        {
            if (reply.Lower != LowerTransport.Udp || !reply.IsUnicast)
            {
                throw new SourceException(SourceFailureReason.Protocol, $"SETUP {track.SetupUrl}: asked for unicast UDP, the camera answered {header}");
            }

            track.CameraRtcpPort = reply.ServerPort?.Rtcp ?? 0;

            // A camera behind a media proxy names where its RTP comes from; otherwise it is the RTSP peer.
            track.CameraAddress = reply.Source is { } source && IPAddress.TryParse(source, out IPAddress? address)
                ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
                : remote;
            return;
        }

        if (reply.Lower != LowerTransport.Tcp)
        {
            throw new SourceException(SourceFailureReason.Protocol, $"SETUP {track.SetupUrl}: asked for interleaved TCP, the camera answered {header}");
        }

        // The camera may pick other channels than offered; they are the ones its frames carry.
        track.Channels = reply.Interleaved ?? offer.Interleaved!.Value;
    }

    private void CloseSockets()
    {
        foreach (PulledTrack? track in Tracks)
        {
            track?.CloseSockets();
        }
    }

    private async ValueTask StopKeepAliveAsync()
    {
        if (Interlocked.Exchange(ref _keepAlive, null) is { } keepAlive)
        {
            await keepAlive.DisposeAsync();
        }
    }

    private async Task KeepAliveAsync()
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            string url = _keepAliveWithGetParameter ? Camera.AggregateUrl : _uri.RequestUri;
            await Control.SendAsync(KeepAliveMethod, url, [], deadline.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The media loop notices a dead connection; a missed keep-alive is no failure by itself.
        }
    }
}
