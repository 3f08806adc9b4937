using System.Net;
using System.Net.Sockets;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Ice;
using MediaServer.WebRtc.Srtp;
using MediaServer.WebRtc.Stun;

namespace MediaServer.WebRtc;

/// <summary>
/// One transport of a WebRTC session (RFC 8843's "transport", a 5-tuple): the ICE credentials
/// that route checks to it, the browser addresses it claimed and the one ICE selected, its DTLS
/// handshake and its SRTP keys. A bundled session has one; a session whose browser did not bundle
/// has one per accepted m-section. The server finds it by ICE ufrag, then by the browser's address
/// (each claimed by exactly one transport, DESIGN.md invariant 7).
/// </summary>
internal sealed class WebRtcPeerTransport : IDisposable
{
    private readonly WebRtcSession _session;
    private readonly WebRtcUdpTransport _udp;
    private readonly DtlsServerSession _dtls;
    private SocketAddress[] _addresses = [];
    private IceCredentialsPair _credentials;
    private SocketAddress? _remote;
    private SrtpContext? _receiveContext;
    private SrtpContext? _sendContext;
    private int _state;

    public WebRtcPeerTransport(
        WebRtcSession session,
        int index,
        IceCredentialsPair credentials,
        DtlsFingerprint remoteFingerprint,
        IReadOnlyList<string> mids,
        WebRtcUdpTransport udp,
        DtlsCertificate certificate)
    {
        _session = session;
        Index = index;
        _credentials = credentials;
        RemoteFingerprint = remoteFingerprint;
        Mids = mids;
        _udp = udp;
        _dtls = new DtlsServerSession(certificate, remoteFingerprint, new DtlsDatagramTransport(SendDatagram));
    }

    public WebRtcSession Session => _session;

    /// <summary>Its place in <see cref="Negotiation.WebRtcAnswer.Transports"/>.</summary>
    public int Index { get; }

    /// <summary>The answer's m-sections it carries.</summary>
    public IReadOnlyList<string> Mids { get; }

    public DtlsFingerprint RemoteFingerprint { get; }

    public IceCredentialsPair Credentials => Volatile.Read(ref _credentials);

    public WebRtcSessionState State => (WebRtcSessionState)Volatile.Read(ref _state);

    /// <summary>The browser's address that ICE selected, once known.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    public IReadOnlyList<SocketAddress> Addresses => Volatile.Read(ref _addresses);

    /// <summary>
    /// Where this transport's media goes now: null until a check arrived. Read per datagram, so a
    /// nomination that moves the browser takes effect at the next packet.
    /// </summary>
    public SocketAddress? RemoteAddress => Volatile.Read(ref _remote);

    /// <summary>The SRTP keys media is sent with, null until the DTLS handshake agreed them.</summary>
    public SrtpContext? SendContext => Volatile.Read(ref _sendContext);

    public void Restart(IceCredentialsPair credentials) => Volatile.Write(ref _credentials, credentials);

    /// <summary>
    /// UDP thread: a valid connectivity check arrived from <paramref name="from"/>. ICE-lite follows
    /// the controlling browser: the address it nominates (or the first that works) carries media.
    /// False when the address belongs to another live transport: the claim is refused (invariant 7)
    /// and the check goes unanswered.
    /// </summary>
    public bool OnConnectivityCheck(SocketAddress from, bool nominated)
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
            if (!_udp.TryClaimAddress(known, this))
            {
                return false;
            }

            Volatile.Write(ref _addresses, [.. _addresses, known]);
            if (State == WebRtcSessionState.Closed)
            {
                // Closed while we claimed it: Close's snapshot may have missed this address.
                _udp.ReleaseAddress(known, this);
                return false;
            }
        }

        _session.OnConsent();
        if (nominated || _remote is null)
        {
            Volatile.Write(ref _remote, known);
            RemoteEndPoint = ToEndPoint(known);
        }

        if (Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connecting, (int)WebRtcSessionState.New) == (int)WebRtcSessionState.New)
        {
            _session.OnTransportChecked();
            _ = Task.Run(HandshakeAsync);
        }

        return true;
    }

    /// <summary>UDP thread: a non-STUN datagram from one of this transport's addresses.</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        _session.OnConsent();
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Dtls:
                _dtls.Transport.Enqueue(datagram);
                break;
            case PacketKind.Rtcp:
                OnSrtcp(datagram);
                break;
            case PacketKind.Rtp when _session.IsPublisher:
                OnSrtp(datagram);
                break;
            default:
                // A viewer's browser sends no RTP; what it sends anyway is dropped.
                break;
        }
    }

    public void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (RemoteAddress is { } remote)
        {
            _udp.Send(datagram, remote);
        }
    }

    /// <summary>Stops the transport: close_notify, and its addresses go back (the session's egress has stopped).</summary>
    public void Close()
    {
        Volatile.Write(ref _state, (int)WebRtcSessionState.Closed);
        _dtls.Close();
        foreach (SocketAddress address in Volatile.Read(ref _addresses))
        {
            _udp.ReleaseAddress(address, this);
        }
    }

    /// <summary>Frees the DTLS session and SRTP keys once nothing sends or receives on them.</summary>
    public void Dispose()
    {
        _dtls.Dispose();
        _receiveContext?.Dispose();
        _sendContext?.Dispose();
    }

    public override string ToString() => $"{_session} (transport {Index})";

    private async Task HandshakeAsync()
    {
        using IDisposable? scope = _session.BeginLogScope();
        DtlsSrtpKeys keys;
        try
        {
            keys = await _dtls.AcceptAsync(_session.HandshakeTimeout, _session.ClosedToken);
        }
        catch (Exception ex) when (ex is DtlsHandshakeException or OperationCanceledException or ObjectDisposedException)
        {
            await _session.CloseAsync("DTLS handshake failed: " + ex.Message);
            return;
        }

        _receiveContext = new SrtpContext((SrtpProfile)keys.ProtectionProfile, keys.RemoteMasterKey, keys.RemoteMasterSalt);
        Volatile.Write(ref _sendContext, new SrtpContext((SrtpProfile)keys.ProtectionProfile, keys.LocalMasterKey, keys.LocalMasterSalt));
        if (Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connected, (int)WebRtcSessionState.Connecting) !=
            (int)WebRtcSessionState.Connecting)
        {
            return;
        }

        _ = _dtls.Closed.ContinueWith(
            t => _session.CloseAsync(t.Result == DtlsCloseReason.PeerCloseNotify ? "the browser closed the connection" : $"DTLS ended: {t.Result}"),
            TaskScheduler.Default);
        _session.OnTransportConnected(this, (SrtpProfile)keys.ProtectionProfile);
    }

    private void OnSrtcp(ReadOnlySpan<byte> datagram)
    {
        SrtpContext? context = _receiveContext;
        if (context is null || datagram.Length > 1500)
        {
            return;
        }

        Span<byte> packet = stackalloc byte[datagram.Length];
        datagram.CopyTo(packet);
        if (context.UnprotectRtcp(packet, packet.Length, out int length) != SrtpError.None)
        {
            return;
        }

        _session.OnRtcp(packet[..length]);
    }

    /// <summary>A WHIP publisher's media: decrypted in a copy on the stack, then published by the session.</summary>
    private void OnSrtp(ReadOnlySpan<byte> datagram)
    {
        SrtpContext? context = _receiveContext;
        if (context is null)
        {
            return; // before the handshake's keys: nothing could be authenticated
        }

        if (datagram.Length > 1500)
        {
            _session.OnRejectedSrtp();
            return;
        }

        Span<byte> packet = stackalloc byte[datagram.Length];
        datagram.CopyTo(packet);
        if (context.UnprotectRtp(packet, packet.Length, out int length) != SrtpError.None)
        {
            _session.OnRejectedSrtp();
            return;
        }

        _session.OnRtp(this, packet[..length]);
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
