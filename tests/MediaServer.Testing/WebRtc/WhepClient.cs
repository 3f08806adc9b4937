using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MediaServer.Media.Rtcp;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Srtp;
using MediaServer.WebRtc.Stun;
using Org.BouncyCastle.Tls;

namespace MediaServer.Testing.WebRtc;

/// <summary>
/// A minimal WHEP viewer that makes a server do all of its work: it posts an offer, completes
/// ICE (as the controlling agent), DTLS and SRTP, and decrypts every RTP and RTCP packet it is
/// sent. Used by tests that check what the server sends, by the benchmarks, and by the load
/// generator. It does not decode media; callers see RTP packets.
/// </summary>
public sealed partial class WhepClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Socket _socket;
    private readonly DtlsDatagramTransport _dtls;
    private readonly Uri _resource;
    private readonly CancellationTokenSource _stop = new();
    private const int EarlyPacketLimit = 256;
    private readonly Queue<byte[]> _early = new(); // receive thread only
    private SrtpContext? _receive;
    private SrtpContext? _send;
    private DtlsTransport? _dtlsTransport;
    private Thread? _receiver;
    private EndPoint _server;
    private long _rtpPackets;
    private long _rtcpPackets;
    private long _senderReports;
    private long _authFailures;
    private long _replayed;
    private long _stunSuccesses;

    private WhepClient(HttpClient http, Socket socket, Uri resource, EndPoint server)
    {
        _http = http;
        _socket = socket;
        _resource = resource;
        _server = server;
        _dtls = new DtlsDatagramTransport(d => _socket.SendTo(d, SocketFlags.None, _server), queueCapacity: 64);
    }

    /// <summary>The SDP answer the server gave.</summary>
    public string Answer { get; private set; } = "";

    public SrtpProfile Profile { get; private set; }

    public long RtpPackets => Interlocked.Read(ref _rtpPackets);

    public long RtcpPackets => Interlocked.Read(ref _rtcpPackets);

    public long SenderReports => Interlocked.Read(ref _senderReports);

    /// <summary>Packets that failed SRTP authentication: must stay 0 against a correct server.</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Tests: simulates loss; packets whose sequence number it accepts are dropped unread.</summary>
    public Func<ushort, bool>? DropRtp { get; set; }

    /// <summary>Packets refused as replays or too old (a retransmission of something already received).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>STUN Binding success responses received (the connectivity checks the server answered).</summary>
    public long StunSuccesses => Interlocked.Read(ref _stunSuccesses);

    /// <summary>The client's own UDP address, which the server sees as the source of its datagrams.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Tests: sends a raw datagram to the server from this client's address, as another program sharing it could.</summary>
    public void SendDatagram(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _server);

    /// <summary>Called on the receive thread with every decrypted RTP packet (valid during the call).</summary>
    public Action<ReadOnlyMemory<byte>>? OnRtp { get; set; }

    /// <summary>Posts an offer for H.264 (H.265, VP8) video and Opus/PCMU/PCMA audio and connects; throws on failure.</summary>
    public static Task<WhepClient> ConnectAsync(HttpClient http, Uri whepUrl, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ConnectAsync(http, whepUrl, timeout, onRtp: null, cancellationToken);

    /// <summary>The same, with <paramref name="onRtp"/> set as <see cref="OnRtp"/> before media can arrive, so not even the first packets (the cached keyframe) are missed.</summary>
    public static async Task<WhepClient> ConnectAsync(HttpClient http, Uri whepUrl, TimeSpan timeout, Action<ReadOnlyMemory<byte>>? onRtp,
        CancellationToken cancellationToken = default)
    {
        DtlsCertificate certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        string ufrag = IceCredentials.NewUfrag();
        string pwd = IceCredentials.NewPassword();
        using var content = new StringContent(Offer(ufrag, pwd, certificate.Fingerprint), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        using HttpResponseMessage response = await http.PostAsync(whepUrl, content, cancellationToken);
        string answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is null)
        {
            throw new InvalidOperationException($"WHEP POST got {(int)response.StatusCode}: {answer.Trim()}");
        }

        var resource = new Uri(whepUrl, response.Headers.Location);
        Match candidate = Candidate().Match(answer);
        string serverUfrag = Attribute(answer, "ice-ufrag");
        string serverPwd = Attribute(answer, "ice-pwd");
        if (!candidate.Success)
        {
            throw new InvalidOperationException("The answer has no host candidate.");
        }

        var server = new IPEndPoint(IPAddress.Parse(candidate.Groups[1].Value), int.Parse(candidate.Groups[2].Value));
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

        // The server sends a burst in one sendmmsg; on loopback it lands all at once, and the
        // default receive buffer (~208 KiB) overflows on a keyframe-sized burst.
        socket.ReceiveBufferSize = 4 * 1024 * 1024;

        // The receive loop wakes now and then without traffic, to decrypt media that came before
        // the DTLS keys (see OnSrtp) as soon as they are there, not only when more media comes.
        socket.ReceiveTimeout = 50;
        socket.Bind(new IPEndPoint(server.Address.IsIPv4MappedToIPv6 || server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
        var client = new WhepClient(http, socket, resource, server) { Answer = answer, OnRtp = onRtp };
        try
        {
            client.StartReceiving();
            await client.CheckConnectivityAsync(serverUfrag, ufrag, serverPwd, timeout, cancellationToken);
            await client.HandshakeAsync(certificate, timeout);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends an RTCP Generic NACK for <paramref name="lost"/> of the given SSRC.</summary>
    public void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        Span<byte> packet = stackalloc byte[512];
        int length = RtcpFeedbackWriter.WriteGenericNack(packet, 0x5EED, mediaSsrc, lost);
        SendRtcp(packet, length);
    }

    /// <summary>Sends an RTCP Picture Loss Indication for the given SSRC.</summary>
    public void SendPictureLoss(uint mediaSsrc)
    {
        Span<byte> packet = stackalloc byte[64];
        SendRtcp(packet, RtcpFeedbackWriter.WritePictureLoss(packet, 0x5EED, mediaSsrc));
    }

    /// <summary>
    /// Sends an RTCP receiver report without report blocks: what keeps a browser's session alive
    /// (consent freshness) while it only watches. Same single-caller rule as <see cref="SendNack"/>.
    /// </summary>
    public void SendReceiverReport()
    {
        Span<byte> packet = stackalloc byte[64];
        SendRtcp(packet, RtcpReceiverReport.Write(packet, 0x5EED, []));
    }

    /// <summary>Sends an RTCP receiver report with one block about <paramref name="block"/>'s SSRC. Same single-caller rule.</summary>
    public void SendReceiverReport(RtcpReportBlock block)
    {
        Span<byte> packet = stackalloc byte[64];
        SendRtcp(packet, RtcpReceiverReport.Write(packet, 0x5EED, [block]));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, _resource);
            using HttpResponseMessage response = await _http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The server is gone; nothing to tell it.
        }

        _dtlsTransport?.Close();
        _dtls.Close();
        _socket.Dispose();
        _receiver?.Join(TimeSpan.FromSeconds(2));
        _receive?.Dispose();
        _send?.Dispose();
        _stop.Dispose();
    }

    private void SendRtcp(Span<byte> packet, int length)
    {
        SrtpContext send = _send ?? throw new InvalidOperationException("Not connected.");
        if (_stop.IsCancellationRequested)
        {
            return; // disposed: a viewer that has left sends nothing more
        }

        Span<byte> buffer = stackalloc byte[length + 64];
        packet[..length].CopyTo(buffer);
        try
        {
            // One caller at a time (the test or load-generator thread), as SrtpContext requires.
            int protectedLength = send.ProtectRtcp(buffer, length);
            _socket.SendTo(buffer[..protectedLength], SocketFlags.None, _server);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
        {
            // DisposeAsync closed the socket or the SRTP context meanwhile, from another thread.
        }
    }

    private async Task CheckConnectivityAsync(string serverUfrag, string ufrag, string serverPwd, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] username = Encoding.UTF8.GetBytes(serverUfrag + ":" + ufrag);
        byte[] key = Encoding.UTF8.GetBytes(serverPwd);
        var request = new byte[256];
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!_connected.Task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No STUN success response from the server.");
            }

            byte[] transaction = RandomNumberGenerator.GetBytes(12);
            int length = StunRequestWriter.WriteBindingRequest(request, transaction, username, key, 0x6E0001FF, 1, controlling: true, useCandidate: true);
            _socket.SendTo(request.AsSpan(0, length), SocketFlags.None, _server);
            await Task.WhenAny(_connected.Task, Task.Delay(100, cancellationToken));
        }
    }

    private async Task HandshakeAsync(DtlsCertificate certificate, TimeSpan timeout)
    {
        var dtlsClient = new DtlsSrtpClient(certificate, [SrtpProtectionProfileId.AeadAes128Gcm, SrtpProtectionProfileId.Aes128CmHmacSha1_80],
            handshakeTimeoutMillis: (int)timeout.TotalMilliseconds);
        _dtlsTransport = await Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(dtlsClient, _dtls),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        DtlsSrtpKeys keys = dtlsClient.Keys ?? throw new InvalidOperationException("DTLS completed without SRTP keys.");
        Profile = (SrtpProfile)keys.ProtectionProfile;

        // The client's "local" half is client_write (what it sends); the server's is "remote".
        _send = new SrtpContext(Profile, keys.LocalMasterKey, keys.LocalMasterSalt);
        Volatile.Write(ref _receive, new SrtpContext(Profile, keys.RemoteMasterKey, keys.RemoteMasterSalt));
    }

    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void StartReceiving()
    {
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "whep-client" };
        _receiver.Start();
    }

    private void ReceiveLoop()
    {
        try
        {
            Receive();
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
            // DisposeAsync closed the socket under the loop (e.g. as it set a receive timeout, or
            // in a callback): the client is gone, and an exception here would end the process.
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        bool keyed = false;
        EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
        from = _socket.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : from;
        while (!_stop.IsCancellationRequested)
        {
            if (!keyed && Volatile.Read(ref _receive) is { } keys)
            {
                keyed = true;
                DecryptEarly(keys);
                _socket.ReceiveTimeout = 0; // from now on media brings the early packets' turn anyway
            }

            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested || e is ObjectDisposedException)
                {
                    return;
                }

                continue;
            }

            Span<byte> datagram = buffer.AsSpan(0, received);
            switch (PacketClassifier.Classify(datagram))
            {
                case PacketKind.Stun:
                    if (StunMessage.TryParse(datagram, out StunMessage response) == StunParseError.None &&
                        response.MessageType == StunMessage.BindingSuccess)
                    {
                        Interlocked.Increment(ref _stunSuccesses);
                        _connected.TrySetResult();
                    }

                    break;
                case PacketKind.Dtls:
                    _dtls.Enqueue(datagram);
                    break;
                case PacketKind.Rtp:
                    OnSrtp(buffer, received);
                    break;
                case PacketKind.Rtcp:
                    OnSrtcp(datagram);
                    break;
            }
        }
    }

    private void OnSrtp(byte[] buffer, int length)
    {
        SrtpContext? receive = Volatile.Read(ref _receive);
        if (receive is null)
        {
            // The server may send media right after its DTLS Finished, before our handshake call
            // has returned with the keys: keep those packets (the cached keyframe) for later.
            if (_early.Count < EarlyPacketLimit)
            {
                _early.Enqueue(buffer.AsSpan(0, length).ToArray());
            }

            return;
        }

        DecryptEarly(receive);
        Unprotect(receive, buffer, length);
    }

    private void DecryptEarly(SrtpContext receive)
    {
        while (_early.TryDequeue(out byte[]? early))
        {
            Unprotect(receive, early, early.Length);
        }
    }

    private void Unprotect(SrtpContext receive, byte[] buffer, int length)
    {
        if (length >= 12 && DropRtp is { } drop && drop(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2))))
        {
            return;
        }

        SrtpError error = receive.UnprotectRtp(buffer, length, out int plain);
        if (error != SrtpError.None)
        {
            Interlocked.Increment(ref error == SrtpError.AuthenticationFailed ? ref _authFailures : ref _replayed);
            return;
        }

        Interlocked.Increment(ref _rtpPackets);
        OnRtp?.Invoke(buffer.AsMemory(0, plain));
    }

    private void OnSrtcp(Span<byte> datagram)
    {
        SrtpContext? receive = Volatile.Read(ref _receive);
        if (receive is null)
        {
            return;
        }

        if (receive.UnprotectRtcp(datagram, datagram.Length, out int plain) != SrtpError.None)
        {
            Interlocked.Increment(ref _authFailures);
            return;
        }

        Interlocked.Increment(ref _rtcpPackets);
        if (plain >= 8 && datagram[1] == 200)
        {
            Interlocked.Increment(ref _senderReports);
        }
    }

    private static string Offer(string ufrag, string pwd, string fingerprint)
    {
        var sdp = new StringBuilder();
        sdp.Append("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n");
        AppendMedia(sdp, "video", "0", "96", ufrag, pwd, fingerprint,
            "a=rtpmap:96 H264/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 ccm fir\r\n" +
            "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" +
            "a=rtpmap:97 H265/90000\r\na=rtcp-fb:97 nack\r\na=rtcp-fb:97 nack pli\r\n" +
            "a=rtpmap:98 VP8/90000\r\na=rtcp-fb:98 nack\r\na=rtcp-fb:98 nack pli\r\n");
        AppendMedia(sdp, "audio", "1", "111 0 8", ufrag, pwd, fingerprint,
            "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n");
        return sdp.ToString();
    }

    private static void AppendMedia(StringBuilder sdp, string kind, string mid, string formats, string ufrag, string pwd, string fingerprint, string codecs)
    {
        sdp.Append("m=").Append(kind).Append(" 9 UDP/TLS/RTP/SAVPF ").Append(formats).Append(kind == "video" ? " 97 98" : string.Empty).Append("\r\n")
            .Append("c=IN IP4 0.0.0.0\r\na=mid:").Append(mid).Append("\r\n")
            .Append("a=ice-ufrag:").Append(ufrag).Append("\r\na=ice-pwd:").Append(pwd).Append("\r\n")
            .Append("a=fingerprint:").Append(fingerprint).Append("\r\na=setup:active\r\na=recvonly\r\na=rtcp-mux\r\n")
            .Append(codecs);
    }

    private static string Attribute(string sdp, string name)
    {
        Match match = Regex.Match(sdp, $"a={name}:(\\S+)");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"The answer has no a={name}.");
    }

    [GeneratedRegex(@"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host")]
    private static partial Regex Candidate();
}
