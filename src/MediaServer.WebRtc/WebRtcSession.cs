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
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>
/// One WHEP viewer: its ICE credentials and selected address, its DTLS handshake and SRTP keys,
/// the reader of exactly one stream, and the egress loop that sends it. Created by a WHEP POST,
/// ended by DELETE, by the browser going silent (consent freshness), by a DTLS close_notify, or by
/// the stream ending.
/// </summary>
public sealed class WebRtcSession : IDisposable
{
    private readonly WebRtcUdpTransport _transport;
    private readonly WebRtcOptions _options;
    private readonly ILogger _logger;
    private readonly DtlsServerSession _dtls;
    private readonly WebRtcSessionSlot _slot;
    private readonly CancellationTokenSource _closed = new();
    private readonly long _createdTimestamp = Stopwatch.GetTimestamp(); // the WHEP POST is being answered
    private SocketAddress[] _addresses = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IceCredentialsPair _credentials;
    private SocketAddress? _remote;
    private WebRtcEgress? _egress;
    private SrtpContext? _receiveContext;
    private SrtpContext? _sendContext;
    private int _state;
    private long _lastConsent;
    private string _closeReason = "";

    internal WebRtcSession(
        string id,
        Principal owner,
        MediaStreamReader reader,
        WebRtcAnswer answer,
        IceCredentialsPair credentials,
        DtlsFingerprint remoteFingerprint,
        WebRtcUdpTransport transport,
        DtlsCertificate certificate,
        WebRtcOptions options,
        WebRtcSessionSlot slot,
        ILogger logger)
    {
        Id = id;
        Owner = owner;
        Reader = reader;
        Answer = answer;
        _credentials = credentials;
        RemoteFingerprint = remoteFingerprint;
        Certificate = certificate;
        _transport = transport;
        _options = options;
        _slot = slot;
        _logger = logger;
        CreatedAt = DateTimeOffset.UtcNow;
        _lastConsent = Environment.TickCount64;
        _dtls = new DtlsServerSession(certificate, remoteFingerprint, new DtlsDatagramTransport(SendDatagram));
        ETag = "\"" + Guid.NewGuid().ToString("N") + "\"";
        reader.OnStalled(OnReaderStalled);
    }

    /// <summary>The WHEP resource id: 128 random bits, the only handle on this session.</summary>
    public string Id { get; }

    /// <summary>The principal that created the session; only it may PATCH or DELETE the resource.</summary>
    public Principal Owner { get; }

    public MediaStreamReader Reader { get; }

    public StreamId StreamId => Reader.Stream.Id;

    public WebRtcAnswer Answer { get; }

    public DtlsFingerprint RemoteFingerprint { get; }

    internal DtlsCertificate Certificate { get; }

    public DateTimeOffset CreatedAt { get; }

    public string ETag { get; private set; }

    public WebRtcSessionState State => (WebRtcSessionState)Volatile.Read(ref _state);

    internal IceCredentialsPair Credentials => Volatile.Read(ref _credentials);

    /// <summary>The browser's address that ICE selected, once known.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    public string CloseReason => _closeReason;

    /// <summary>Completes when the session is closed and its resources are freed.</summary>
    public Task Completion => _completion.Task;

    public long LastConsentTick => Interlocked.Read(ref _lastConsent);

    public ReceiverReportStatistics ReceiverReports { get; } = new();

    public long PacketsSent => _egress?.PacketsSent ?? 0;

    public long BytesSent => _egress?.BytesSent ?? 0;

    public long NacksReceived => _egress?.NacksReceived ?? 0;

    public long PacketsRetransmitted => _egress?.PacketsRetransmitted ?? 0;

    public long KeyframeRequests => _egress?.KeyframeRequests ?? 0;

    public long KeyframeRequestsDeferred => _egress?.KeyframeRequestsDeferred ?? 0;

    internal IReadOnlyList<SocketAddress> Addresses => Volatile.Read(ref _addresses);

    /// <summary>ICE restart (WHEP PATCH): new credentials on both sides; media and DTLS go on.</summary>
    internal void Restart(IceCredentialsPair credentials)
    {
        Volatile.Write(ref _credentials, credentials);
        ETag = "\"" + Guid.NewGuid().ToString("N") + "\"";
    }

    /// <summary>
    /// UDP thread: a valid connectivity check arrived from <paramref name="from"/>. ICE-lite follows
    /// the controlling browser: the address it nominates (or the first that works) carries media.
    /// False when the address belongs to another live session: the claim is refused (invariant 7)
    /// and the check goes unanswered.
    /// </summary>
    internal bool OnConnectivityCheck(SocketAddress from, bool nominated)
    {
        if (State == WebRtcSessionState.Closed)
        {
            return false;
        }

        // Only the UDP receive thread adds addresses; Close reads a snapshot of the array.
        SocketAddress? known = null;
        foreach (SocketAddress address in _addresses)
        {
            if (address.Equals(from))
            {
                known = address;
                break;
            }
        }

        if (known is null)
        {
            known = Clone(from);
            if (!_transport.TryClaimAddress(known, this))
            {
                return false;
            }

            Volatile.Write(ref _addresses, [.. _addresses, known]);
            if (State == WebRtcSessionState.Closed)
            {
                // Closed while we claimed it: Close's snapshot may have missed this address.
                _transport.ReleaseAddress(known, this);
                return false;
            }
        }

        Interlocked.Exchange(ref _lastConsent, Environment.TickCount64);
        if (nominated || _remote is null)
        {
            Volatile.Write(ref _remote, known);
            RemoteEndPoint = ToEndPoint(known);
        }

        if (Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connecting, (int)WebRtcSessionState.New) == (int)WebRtcSessionState.New)
        {
            _ = Task.Run(HandshakeAsync);
        }

        return true;
    }

    /// <summary>UDP thread: a non-STUN datagram from one of this session's addresses.</summary>
    internal void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        Interlocked.Exchange(ref _lastConsent, Environment.TickCount64);
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Dtls:
                _dtls.Transport.Enqueue(datagram);
                break;
            case PacketKind.Rtcp:
                OnSrtcp(datagram);
                break;
            default:
                // We only send; RTP from the browser (there should be none) is dropped.
                break;
        }
    }

    /// <summary>Ends the session: stops media, sends close_notify, frees the reader and its addresses.</summary>
    public async Task CloseAsync(string reason)
    {
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

        Reader.Dispose();
        _dtls.Close();
        foreach (SocketAddress address in Volatile.Read(ref _addresses))
        {
            _transport.ReleaseAddress(address, this);
        }

        _transport.Sessions.Remove(this);
        _slot.Release();
        _dtls.Dispose();
        _receiveContext?.Dispose();
        _sendContext?.Dispose();
        _closed.Dispose();
        _completion.TrySetResult();
    }

    public override string ToString() => $"WebRTC session {Id} of {Owner.Name}";

    /// <summary>Closes the session (see <see cref="CloseAsync"/>) and waits for it.</summary>
    public void Dispose() => CloseAsync("disposed").GetAwaiter().GetResult();

    /// <summary>
    /// Where media goes now: the address ICE selected, null until a check arrived. Read per
    /// datagram, so a nomination that moves the browser takes effect at the next packet.
    /// </summary>
    internal SocketAddress? RemoteAddress => Volatile.Read(ref _remote);

    /// <summary>A send batch on this session's socket, for the egress loop (DTLS keeps <see cref="SendDatagram"/>).</summary>
    internal UdpSendBatchPool SendBatches(int maxDatagramLength) => _transport.SendBatches(maxDatagramLength);

    internal void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (RemoteAddress is { } remote)
        {
            _transport.Send(datagram, remote);
        }
    }

    private async Task HandshakeAsync()
    {
        DtlsSrtpKeys keys;
        try
        {
            keys = await _dtls.AcceptAsync(TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds), _closed.Token);
        }
        catch (Exception ex) when (ex is DtlsHandshakeException or OperationCanceledException)
        {
            await CloseAsync("DTLS handshake failed: " + ex.Message);
            return;
        }

        _receiveContext = new SrtpContext((SrtpProfile)keys.ProtectionProfile, keys.RemoteMasterKey, keys.RemoteMasterSalt);
        _sendContext = new SrtpContext((SrtpProfile)keys.ProtectionProfile, keys.LocalMasterKey, keys.LocalMasterSalt);
        var egress = new WebRtcEgress(this, _sendContext, _options, _logger);
        Volatile.Write(ref _egress, egress);

        // Close may race with us: the egress starts only if the session is still connecting, and a
        // Close that saw it (even before Start) stops it, since the loop checks its stop flag first.
        if (Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connected, (int)WebRtcSessionState.Connecting) !=
            (int)WebRtcSessionState.Connecting)
        {
            return;
        }

        SessionSetupTimes.ObserveSince(SessionSetupTimes.Whep, _createdTimestamp);
        _logger.LogInformation(
            "WebRTC session {SessionId} on {Path} connected from {Remote} with SRTP profile {Profile}",
            Id, StreamId.Path, RemoteEndPoint, (SrtpProfile)keys.ProtectionProfile);
        egress.Start();
        _ = _dtls.Closed.ContinueWith(
            t => CloseAsync(t.Result == DtlsCloseReason.PeerCloseNotify ? "the browser closed the connection" : $"DTLS ended: {t.Result}"),
            TaskScheduler.Default);

        // A stalled reader completes too; OnReaderStalled closes with its own reason.
        _ = egress.Completion.ContinueWith(
            t => Reader.IsStalled ? Task.CompletedTask : CloseAsync(Reader.IsCompleted ? "the stream ended" : "egress ended"),
            TaskScheduler.Default);
    }

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

        double seconds = Math.Round(reader.StalledFor.TotalSeconds, 1);
        _logger.LogWarning("Reader of {Path} stalled for {StalledSeconds} s: disconnected (session {SessionId})",
            StreamId.Path, seconds, Id);
        _ = CloseAsync($"reader of {StreamId.Path} stalled for {seconds} s");
    }

    private void OnSrtcp(ReadOnlySpan<byte> datagram)
    {
        SrtpContext? context = _receiveContext;
        WebRtcEgress? egress = _egress;
        if (context is null || egress is null || datagram.Length > 1500)
        {
            return;
        }

        Span<byte> packet = stackalloc byte[datagram.Length];
        datagram.CopyTo(packet);
        if (context.UnprotectRtcp(packet, packet.Length, out int length) != SrtpError.None)
        {
            return;
        }

        egress.OnRtcp(packet[..length], ReceiverReports);
    }

    private static SocketAddress Clone(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span.CopyTo(copy.Buffer.Span);
        return copy;
    }

    private static IPEndPoint? ToEndPoint(SocketAddress address) =>
        address.Family switch
        {
            AddressFamily.InterNetwork => (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address),
            AddressFamily.InterNetworkV6 => (IPEndPoint)new IPEndPoint(IPAddress.IPv6Any, 0).Create(address),
            _ => null,
        };
}
