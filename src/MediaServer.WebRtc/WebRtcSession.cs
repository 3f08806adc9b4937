using System.Diagnostics;
using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using System.Net.Sockets;
using MediaServer.Core.Net;
using MediaServer.Core.Streams;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Egress;
using MediaServer.WebRtc.Ice;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Srtp;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whip;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>
/// One WHEP viewer or WHIP publisher: its transports (one when the peer bundles, else one per
/// accepted m-section; see <see cref="WebRtcPeerTransport"/>), and either the reader of exactly
/// one stream with the egress loop that sends it (WHEP), or the ingest that publishes what the
/// peer sends to exactly one stream (WHIP). Created by a POST, ended by DELETE, by the peer going
/// silent (consent freshness), by a DTLS close_notify, or by the stream ending.
/// </summary>
public sealed class WebRtcSession : IDisposable
{
    // The session whose log scope the current flow is in.
    private static readonly AsyncLocal<WebRtcSession?> s_logScopeOwner = new();

    private readonly WebRtcUdpTransport _udp;
    private readonly WebRtcOptions _options;
    private readonly ILogger _logger;
    private readonly WebRtcPeerTransport[] _transports;
    private readonly WebRtcSessionSlot _slot;
    private readonly CancellationTokenSource _closed = new();
    private readonly long _createdTimestamp = Stopwatch.GetTimestamp(); // the WHEP POST is being answered
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WhipIngest? _ingest;
    private WebRtcEgress? _egress;
    private int _state;
    private int _connectedTransports;
    private long _lastConsent;
    private string _closeReason = "";

    internal WebRtcSession(
        string id,
        Principal owner,
        MediaStreamReader reader,
        WebRtcAnswer answer,
        WebRtcUdpTransport udp,
        DtlsCertificate certificate,
        WebRtcOptions options,
        WebRtcSessionSlot slot,
        ILogger logger)
        : this(id, owner, reader.Stream, answer, udp, certificate, options, slot, logger)
    {
        Reader = reader;
        reader.OnStalled(OnReaderStalled);
    }

    /// <summary>A WHIP publisher's session: what it sends is published by <paramref name="ingest"/>.</summary>
    internal WebRtcSession(
        string id,
        Principal owner,
        WhipIngest ingest,
        WebRtcAnswer answer,
        WebRtcUdpTransport udp,
        DtlsCertificate certificate,
        WebRtcOptions options,
        WebRtcSessionSlot slot,
        ILogger logger)
        : this(id, owner, ingest.Stream, answer, udp, certificate, options, slot, logger)
    {
        _ingest = ingest;
    }

    private WebRtcSession(
        string id,
        Principal owner,
        MediaStream stream,
        WebRtcAnswer answer,
        WebRtcUdpTransport udp,
        DtlsCertificate certificate,
        WebRtcOptions options,
        WebRtcSessionSlot slot,
        ILogger logger)
    {
        Id = id;
        Owner = owner;
        Stream = stream;
        Answer = answer;
        Certificate = certificate;
        _udp = udp;
        _options = options;
        _slot = slot;
        _logger = logger;
        CreatedAt = DateTimeOffset.UtcNow;
        _lastConsent = Environment.TickCount64;
        _transports = new WebRtcPeerTransport[answer.Transports.Count];
        for (int i = 0; i < _transports.Length; i++)
        {
            AnsweredTransport planned = answer.Transports[i];
            var credentials = new IceCredentialsPair(planned.Local.IceUfrag, planned.Local.IcePwd, planned.Remote.IceUfrag, planned.Remote.IcePwd);
            _transports[i] = new WebRtcPeerTransport(this, i, credentials, planned.Remote.Fingerprint, planned.Mids, udp, certificate);
        }

        ETag = "\"" + Guid.NewGuid().ToString("N") + "\"";
    }

    /// <summary>The WHEP or WHIP resource id: 128 random bits, the only handle on this session.</summary>
    public string Id { get; }

    /// <summary>The principal that created the session; only it may PATCH or DELETE the resource.</summary>
    public Principal Owner { get; }

    /// <summary>The viewer's reader (WHEP); null for a publisher (WHIP).</summary>
    public MediaStreamReader? Reader { get; }

    /// <summary>The stream the session reads (WHEP) or publishes (WHIP).</summary>
    public MediaStream Stream { get; }

    public StreamId StreamId => Stream.Id;

    /// <summary>A WHIP publisher's session (it receives media), not a WHEP viewer's.</summary>
    public bool IsPublisher => _ingest is not null;

    internal WhipIngest? Ingest => _ingest;

    public WebRtcAnswer Answer { get; }

    /// <summary>The browser's certificate fingerprint (of its first transport; browsers use one certificate).</summary>
    public DtlsFingerprint RemoteFingerprint => _transports[0].RemoteFingerprint;

    internal DtlsCertificate Certificate { get; }

    public DateTimeOffset CreatedAt { get; }

    public string ETag { get; private set; }

    public WebRtcSessionState State => (WebRtcSessionState)Volatile.Read(ref _state);

    /// <summary>How many transports the session has: 1 when bundled, else one per accepted m-section.</summary>
    public int TransportCount => _transports.Length;

    /// <summary>The ICE credentials of the first transport (the only one when bundled).</summary>
    internal IceCredentialsPair Credentials => _transports[0].Credentials;

    internal IReadOnlyList<WebRtcPeerTransport> Transports => _transports;

    /// <summary>The browser's address that ICE selected for the first transport, once known.</summary>
    public IPEndPoint? RemoteEndPoint => _transports[0].RemoteEndPoint;

    public string CloseReason => _closeReason;

    /// <summary>Completes when the session is closed and its resources are freed.</summary>
    public Task Completion => _completion.Task;

    public long LastConsentTick => Interlocked.Read(ref _lastConsent);

    public ReceiverReportStatistics ReceiverReports { get; } = new();

    public long PacketsSent => _egress?.PacketsSent ?? 0;

    public long BytesSent => _egress?.BytesSent ?? 0;

    /// <summary>RTP packets a WHIP publisher sent that were published (0 for a viewer).</summary>
    public long PacketsReceived => _ingest?.PacketsReceived ?? 0;

    public long BytesReceived => _ingest?.BytesReceived ?? 0;

    public long NacksReceived => _egress?.NacksReceived ?? 0;

    public long PacketsRetransmitted => _egress?.PacketsRetransmitted ?? 0;

    public long KeyframeRequests => _egress?.KeyframeRequests ?? 0;

    public long KeyframeRequestsDeferred => _egress?.KeyframeRequestsDeferred ?? 0;

    /// <summary>The browser addresses the first transport claimed.</summary>
    internal IReadOnlyList<SocketAddress> Addresses => _transports[0].Addresses;

    internal TimeSpan HandshakeTimeout => TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds);

    internal CancellationToken ClosedToken => _closed.Token;

    /// <summary>ICE restart (WHEP PATCH) of a single-transport session: new credentials on both sides; media and DTLS go on.</summary>
    internal void Restart(IceCredentialsPair credentials)
    {
        _transports[0].Restart(credentials);
        ETag = "\"" + Guid.NewGuid().ToString("N") + "\"";
    }

    /// <summary>
    /// The log scope of everything done for this session (like an RTSP connection's): its DTLS
    /// handshakes, and through them its egress loop, which they start; its end, whatever ends it.
    /// Null inside the session's scope already (a close from its own handshake or egress), so
    /// no line carries the session twice.
    /// </summary>
    internal IDisposable? BeginLogScope()
    {
        WebRtcSession? outer = s_logScopeOwner.Value;
        if (outer == this)
        {
            return null;
        }

        s_logScopeOwner.Value = this;
        return new LogScope(outer, _logger.BeginScope("WebRTC session {SessionId} {Path} {Principal}", Id, StreamId.Path, Owner.Name));
    }

    /// <summary>UDP thread: a check or packet arrived on one of the session's transports.</summary>
    internal void OnConsent() => Interlocked.Exchange(ref _lastConsent, Environment.TickCount64);

    /// <summary>UDP thread: a transport got its first valid check; the session is connecting.</summary>
    internal void OnTransportChecked() =>
        Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connecting, (int)WebRtcSessionState.New);

    /// <summary>UDP thread: a decrypted compound RTCP packet from the browser, on any transport.</summary>
    internal void OnRtcp(ReadOnlySpan<byte> compound)
    {
        if (_ingest is not null)
        {
            _ingest.OnRtcp(compound);
            return;
        }

        Volatile.Read(ref _egress)?.OnRtcp(compound, ReceiverReports);
    }

    /// <summary>UDP thread: a decrypted RTP packet from a WHIP publisher on <paramref name="transport"/>.</summary>
    internal void OnRtp(WebRtcPeerTransport transport, ReadOnlySpan<byte> rtp) => _ingest?.OnRtp(transport, rtp);

    /// <summary>UDP thread: SRTP from the peer that failed authentication or the replay check.</summary>
    internal void OnRejectedSrtp() => _ingest?.OnRejectedSrtp();

    /// <summary>
    /// A transport finished DTLS. The first one starts the egress (tracks whose transport is not
    /// up yet drop their packets); each later one asks for a keyframe so its video starts at once.
    /// </summary>
    internal void OnTransportConnected(WebRtcPeerTransport transport, SrtpProfile profile)
    {
        int connected = Interlocked.Increment(ref _connectedTransports);
        _logger.LogInformation(
            "WebRTC session {SessionId} on {Path}: transport {Transport} of {Transports} connected from {Remote} with SRTP profile {Profile}",
            Id, StreamId.Path, transport.Index + 1, _transports.Length, transport.RemoteEndPoint, profile);
        if (_ingest is not null)
        {
            // Each transport's tracks start with a keyframe asked for now.
            _ingest.OnConnected();
            Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connected, (int)WebRtcSessionState.Connecting);
            return;
        }

        if (connected > 1)
        {
            Volatile.Read(ref _egress)?.RequestKeyframe();
            return;
        }

        var egress = new WebRtcEgress(this, _options, _logger);
        Volatile.Write(ref _egress, egress);

        // Close may race with us: the egress starts only if the session is still connecting, and a
        // Close that saw it (even before Start) stops it, since the loop checks its stop flag first.
        if (Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connected, (int)WebRtcSessionState.Connecting) !=
            (int)WebRtcSessionState.Connecting)
        {
            return;
        }

        SessionSetupTimes.ObserveSince(SessionSetupTimes.Whep, _createdTimestamp);
        egress.Start();

        // A stalled reader completes too; OnReaderStalled closes with its own reason.
        _ = egress.Completion.ContinueWith(
            t => Reader!.IsStalled ? Task.CompletedTask : CloseAsync(Reader.IsCompleted ? "the stream ended" : "egress ended"),
            TaskScheduler.Default);
    }

    /// <summary>Ends the session: stops media, sends close_notify, frees the reader and its addresses.</summary>
    public async Task CloseAsync(string reason)
    {
        using IDisposable? scope = BeginLogScope();
        if (Interlocked.Exchange(ref _state, (int)WebRtcSessionState.Closed) == (int)WebRtcSessionState.Closed)
        {
            await _completion.Task;
            return;
        }

        _closeReason = reason;
        _logger.LogInformation("WebRTC session {SessionId} on {Path} closed: {Reason}", Id, StreamId.Path, reason);
        _closed.Cancel();
        if (Volatile.Read(ref _egress) is { } egress)
        {
            await egress.StopAsync();
        }

        Reader?.Dispose();
        foreach (WebRtcPeerTransport transport in _transports)
        {
            transport.Close();
        }

        _udp.Sessions.Remove(this);
        _slot.Release();
        foreach (WebRtcPeerTransport transport in _transports)
        {
            transport.Dispose();
        }

        _closed.Dispose();
        _completion.TrySetResult();
    }

    public override string ToString() => $"{(IsPublisher ? "WHIP" : "WebRTC")} session {Id} of {Owner.Name}";

    /// <summary>Closes the session (see <see cref="CloseAsync"/>) and waits for it.</summary>
    public void Dispose() => CloseAsync("disposed").GetAwaiter().GetResult();

    /// <summary>A send batch on the server's socket, for the egress loop (DTLS sends on its own).</summary>
    internal UdpSendBatchPool SendBatches(int maxDatagramLength) => _udp.SendBatches(maxDatagramLength);

    /// <summary>
    /// The stream gave up on this session's reader (thread pool): it took nothing from its queue
    /// for Streams:StalledReaderTimeoutSeconds, e.g. a session that never finished its handshake.
    /// UDP egress hardly ever blocks, but the session must end all the same.
    /// </summary>
    private void OnReaderStalled(MediaStreamReader reader)
    {
        if (State == WebRtcSessionState.Closed)
        {
            return;
        }

        using IDisposable? scope = BeginLogScope();
        double seconds = Math.Round(reader.StalledFor.TotalSeconds, 1);
        _logger.LogWarning("Reader of {Path} stalled for {StalledSeconds} s: disconnected (session {SessionId})",
            StreamId.Path, seconds, Id);
        _ = CloseAsync($"reader of {StreamId.Path} stalled for {seconds} s");
    }

    private sealed class LogScope(WebRtcSession? outer, IDisposable? scope) : IDisposable
    {
        public void Dispose()
        {
            scope?.Dispose();
            s_logScopeOwner.Value = outer;
        }
    }
}
