using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Net;
using MediaServer.WebRtc.Ice;
using MediaServer.WebRtc.Stun;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>
/// The one UDP socket every WebRTC session shares (ICE-lite, RFC 8445 §2.5). STUN requests are
/// routed by the server half of their USERNAME to the session transport that owns that ufrag and
/// answered only if signed with that transport's password; every other datagram is routed by its
/// source address, which a valid check claimed for exactly one transport of one session (DESIGN.md
/// invariant 7: a check from an address another live transport holds is refused, never rebinds
/// it). Anything else is dropped and counted.
/// </summary>
public sealed class WebRtcUdpTransport : IDisposable
{
    private static readonly Prometheus.Counter.Child UnknownSource = MetricsRegistry.UnknownSourceDatagrams.WithLabels("webrtc");

    private readonly ClaimTable<string, WebRtcPeerTransport> _byUfrag;
    private readonly ClaimTable<SocketAddress, WebRtcPeerTransport> _byAddress;
    private readonly ConcurrentDictionary<string, WebRtcPeerTransport>.AlternateLookup<ReadOnlySpan<char>> _ufragLookup;
    private readonly Socket _socket;
    private readonly UdpReceiveLoop<WebRtcDatagramHandler> _receiveLoop;
    private UdpSendBatchPool? _batches;
    private long _droppedDatagrams;
    private long _rejectedChecks;

    public WebRtcUdpTransport(WebRtcOptions options, ILogger<WebRtcUdpTransport> logger)
    {
        _byUfrag = new ClaimTable<string, WebRtcPeerTransport>(AttributionMap.IceUfrag, logger, StringComparer.Ordinal);
        _byAddress = new ClaimTable<SocketAddress, WebRtcPeerTransport>(AttributionMap.WebRtcUdpSource, logger, describeKey: SocketAddressText.Describe);
        _ufragLookup = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        IPAddress address = IPAddress.Parse(options.UdpAddress);
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.ReceiveBufferSize = 4 * 1024 * 1024;
            _socket.SendBufferSize = 4 * 1024 * 1024;
            PortBindException.Bind(_socket, new IPEndPoint(address, options.UdpPort), "WebRtc:UdpPort");
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        Sessions = new WebRtcSessionRegistry(this, logger);
        _receiveLoop = new UdpReceiveLoop<WebRtcDatagramHandler>(_socket, new WebRtcDatagramHandler(this), "webrtc-udp", "WebRTC", logger);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IPAddress LocalAddress => ((IPEndPoint)_socket.LocalEndPoint!).Address;

    public WebRtcSessionRegistry Sessions { get; }

    /// <summary>Datagrams from addresses no session owns (or that were not STUN/DTLS/SRTP at all).</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _droppedDatagrams);

    /// <summary>STUN checks refused: unknown ufrag, wrong username, bad integrity or fingerprint, or an address another session holds.</summary>
    public long RejectedChecks => Interlocked.Read(ref _rejectedChecks);

    internal bool TryClaimUfrag(string ufrag, WebRtcPeerTransport transport) => _byUfrag.TryClaim(ufrag, transport, transport.ToString());

    internal void ReleaseUfrag(string ufrag, WebRtcPeerTransport transport) => _byUfrag.Release(ufrag, transport);

    /// <summary>Claims a browser address for a transport; false (logged, counted) while another live transport holds it.</summary>
    internal bool TryClaimAddress(SocketAddress address, WebRtcPeerTransport transport) => _byAddress.TryClaim(address, transport, transport.ToString());

    internal void ReleaseAddress(SocketAddress address, WebRtcPeerTransport transport) => _byAddress.Release(address, transport);

    /// <summary>The shared pool of send batches for packets up to <paramref name="maxDatagramLength"/> (one size per server).</summary>
    internal UdpSendBatchPool SendBatches(int maxDatagramLength)
    {
        UdpSendBatchPool? pool = Volatile.Read(ref _batches);
        if (pool is null || pool.MaxDatagramLength != maxDatagramLength)
        {
            pool = new UdpSendBatchPool(_socket, maxDatagramLength);
            Volatile.Write(ref _batches, pool);
        }

        return pool;
    }

    internal void Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            // The browser went away: consent freshness ends the session; nothing to do per packet.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _receiveLoop.Stop();
        _socket.Dispose();
    }

    /// <summary>Receive thread: STUN checks are answered into <paramref name="response"/>; the rest goes to the transport that claimed its source.</summary>
    internal void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress from, byte[] response)
    {
        if (PacketClassifier.Classify(datagram) == PacketKind.Stun)
        {
            HandleStun(datagram, from, response);
            return;
        }

        if (_byAddress.TryGet(from, out WebRtcPeerTransport? transport))
        {
            transport.OnDatagram(datagram);
        }
        else
        {
            Interlocked.Increment(ref _droppedDatagrams);
            UnknownSource.Inc();
        }
    }

    private void HandleStun(ReadOnlySpan<byte> datagram, SocketAddress from, byte[] response)
    {
        if (StunMessage.TryParse(datagram, out StunMessage request) != StunParseError.None ||
            !request.IsBindingRequest)
        {
            // Responses and indications: an ICE-lite agent sends no checks, so expects none back.
            Interlocked.Increment(ref _droppedDatagrams);
            UnknownSource.Inc();
            return;
        }

        WebRtcPeerTransport? transport = FindTransport(request.Username);
        IceCredentialsPair? credentials = transport?.Credentials;
        if (transport is null || credentials is null ||
            !request.Username.SequenceEqual(credentials.ExpectedUsername) ||
            !request.VerifyMessageIntegrity(credentials.LocalPwdBytes) ||
            (request.HasFingerprint && !request.VerifyFingerprint()))
        {
            // RFC 8489 §9.1.3: a request that fails authentication gets 401 without integrity,
            // which tells an honest peer its credentials are stale and a prober nothing.
            CountRejectedCheck();
            int errorLength = StunMessageWriter.WriteBindingError(response, request.TransactionId, 401, "Unauthorized");
            Send(response.AsSpan(0, errorLength), from);
            return;
        }

        if (!transport.OnConnectivityCheck(from, request.UseCandidate))
        {
            // A valid check from an address another live transport holds (claim refused and logged):
            // no answer, so this pair fails for its browser while the holder keeps its media.
            CountRejectedCheck();
            return;
        }

        int length = StunMessageWriter.WriteBindingSuccess(response, request.TransactionId, from, credentials.LocalPwdBytes);
        Send(response.AsSpan(0, length), from);
    }

    private void CountRejectedCheck()
    {
        Interlocked.Increment(ref _rejectedChecks);
        MetricsRegistry.StunRejectedChecks.Inc();
    }

    private WebRtcPeerTransport? FindTransport(ReadOnlySpan<byte> username)
    {
        int colon = username.IndexOf((byte)':');
        ReadOnlySpan<byte> localUfrag = colon < 0 ? username : username[..colon];
        if (localUfrag.IsEmpty || localUfrag.Length > 256)
        {
            return null;
        }

        // ICE ufrags are ASCII ice-chars, so a byte is a char: no string per request.
        Span<char> chars = stackalloc char[localUfrag.Length];
        for (int i = 0; i < localUfrag.Length; i++)
        {
            chars[i] = (char)localUfrag[i];
        }

        return _ufragLookup.TryGetValue(chars, out WebRtcPeerTransport? transport) ? transport : null;
    }
}
