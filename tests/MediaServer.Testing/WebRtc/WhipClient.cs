using System.Collections.Concurrent;
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
/// A minimal WHIP publisher: posts an offer (H.264 video, optionally Opus audio), completes ICE as
/// the controlling agent and DTLS as the client, then sends the RTP it is given as SRTP. It records
/// the RTCP feedback the server sends back (NACKed sequence numbers, PLIs, receiver reports).
/// </summary>
public sealed partial class WhipClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Socket _socket;
    private readonly DtlsDatagramTransport _dtls;
    private readonly EndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _sendLock = new();
    private SrtpContext? _receive;
    private SrtpContext? _send;
    private DtlsTransport? _dtlsTransport;
    private Thread? _receiver;
    private long _pictureLosses;
    private long _receiverReports;

    private WhipClient(HttpClient http, Socket socket, Uri resource, EndPoint server, string answer)
    {
        _http = http;
        _socket = socket;
        Resource = resource;
        _server = server;
        Answer = answer;
        _dtls = new DtlsDatagramTransport(d => _socket.SendTo(d, SocketFlags.None, _server), queueCapacity: 64);
    }

    /// <summary>The session's resource URL (the POST's Location).</summary>
    public Uri Resource { get; }

    public string Answer { get; }

    /// <summary>Sequence numbers the server asked for again (NACK entries), in arrival order.</summary>
    public ConcurrentQueue<ushort> Nacked { get; } = new();

    public long PictureLosses => Interlocked.Read(ref _pictureLosses);

    public long ReceiverReports => Interlocked.Read(ref _receiverReports);

    /// <summary>The offer a browser's sendonly transceivers make: H.264 or VP8 (pt 96, NACK and PLI) and, with audio, Opus (pt 111).</summary>
    public static string Offer(string ufrag, string pwd, string fingerprint, bool audio = true, uint videoSsrc = 0, string videoCodec = "H264")
    {
        string video = videoCodec == "VP8"
            ? "a=rtpmap:96 VP8/90000\r\n"
            : "a=rtpmap:96 H264/90000\r\na=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
        var sdp = new StringBuilder();
        sdp.Append("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0").Append(audio ? " 1" : "").Append("\r\n");
        Media(sdp, "video", "0", "96 97", ufrag, pwd, fingerprint,
            video + "a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n" +
            "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n" +
            "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            (videoSsrc != 0 ? $"a=ssrc:{videoSsrc} cname:whipclient\r\n" : ""));
        if (audio)
        {
            Media(sdp, "audio", "1", "111", ufrag, pwd, fingerprint, "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
        }

        return sdp.ToString();
    }

    /// <summary>Posts an <see cref="Offer"/> and connects; throws on failure.</summary>
    public static async Task<WhipClient> ConnectAsync(HttpClient http, Uri whipUrl, TimeSpan timeout, bool audio = true, uint videoSsrc = 0,
        string videoCodec = "H264")
    {
        DtlsCertificate certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        string ufrag = IceCredentials.NewUfrag();
        string pwd = IceCredentials.NewPassword();
        using var content = new StringContent(Offer(ufrag, pwd, certificate.Fingerprint, audio, videoSsrc, videoCodec), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        using HttpResponseMessage response = await http.PostAsync(whipUrl, content);
        string answer = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is null)
        {
            throw new InvalidOperationException($"WHIP POST got {(int)response.StatusCode}: {answer.Trim()}");
        }

        Match candidate = Candidate().Match(answer);
        if (!candidate.Success)
        {
            throw new InvalidOperationException("The answer has no host candidate.");
        }

        var server = new IPEndPoint(IPAddress.Parse(candidate.Groups[1].Value), int.Parse(candidate.Groups[2].Value));
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var client = new WhipClient(http, socket, new Uri(whipUrl, response.Headers.Location), server, answer);
        try
        {
            client._receiver = new Thread(client.ReceiveLoop) { IsBackground = true, Name = "whip-client" };
            client._receiver.Start();
            await client.CheckConnectivityAsync(Attribute(answer, "ice-ufrag"), ufrag, Attribute(answer, "ice-pwd"), timeout);
            await client.HandshakeAsync(certificate, timeout);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Protects <paramref name="rtp"/> and returns the SRTP datagram (for tests that tamper with it).</summary>
    public byte[] Protect(ReadOnlySpan<byte> rtp)
    {
        SrtpContext send = _send ?? throw new InvalidOperationException("Not connected.");
        var buffer = new byte[rtp.Length + 64];
        rtp.CopyTo(buffer);
        lock (_sendLock)
        {
            return buffer[..send.ProtectRtp(buffer, rtp.Length)];
        }
    }

    /// <summary>Sends one RTP packet as SRTP.</summary>
    public void SendRtp(ReadOnlySpan<byte> rtp) => SendDatagram(Protect(rtp));

    /// <summary>Sends a raw datagram from the client's address.</summary>
    public void SendDatagram(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _server);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _dtlsTransport?.Close();
        _dtls.Close();
        _socket.Dispose();
        _receiver?.Join(TimeSpan.FromSeconds(2));
        _receive?.Dispose();
        _send?.Dispose();
        _stop.Dispose();
        await Task.CompletedTask;
    }

    private async Task CheckConnectivityAsync(string serverUfrag, string ufrag, string serverPwd, TimeSpan timeout)
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

            int length = StunRequestWriter.WriteBindingRequest(request, RandomNumberGenerator.GetBytes(12), username, key, 0x6E0001FF, 1, controlling: true, useCandidate: true);
            _socket.SendTo(request.AsSpan(0, length), SocketFlags.None, _server);
            await Task.WhenAny(_connected.Task, Task.Delay(100));
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
        var profile = (SrtpProfile)keys.ProtectionProfile;
        _send = new SrtpContext(profile, keys.LocalMasterKey, keys.LocalMasterSalt);
        Volatile.Write(ref _receive, new SrtpContext(profile, keys.RemoteMasterKey, keys.RemoteMasterSalt));
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
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
                        _connected.TrySetResult();
                    }

                    break;
                case PacketKind.Dtls:
                    _dtls.Enqueue(datagram);
                    break;
                case PacketKind.Rtcp:
                    OnSrtcp(datagram);
                    break;
            }
        }
    }

    private void OnSrtcp(Span<byte> datagram)
    {
        if (Volatile.Read(ref _receive) is not { } receive ||
            receive.UnprotectRtcp(datagram, datagram.Length, out int plain) != SrtpError.None)
        {
            return;
        }

        var reader = new RtcpCompoundReader(datagram[..plain]);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            if (type == RtcpPacketType.ReceiverReport)
            {
                Interlocked.Increment(ref _receiverReports);
            }
            else if (RtcpFeedback.TryParsePictureLoss(packet, out _))
            {
                Interlocked.Increment(ref _pictureLosses);
            }
            else if (RtcpFeedback.TryParseGenericNack(packet, out _, out NackList lost))
            {
                foreach (ushort sequenceNumber in lost)
                {
                    Nacked.Enqueue(sequenceNumber);
                }
            }
        }
    }

    private static string Attribute(string sdp, string name)
    {
        Match match = Regex.Match(sdp, $"a={name}:(\\S+)");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"The answer has no a={name}.");
    }

    private static void Media(StringBuilder sdp, string kind, string mid, string formats, string ufrag, string pwd, string fingerprint, string codecs) =>
        sdp.Append("m=").Append(kind).Append(" 9 UDP/TLS/RTP/SAVPF ").Append(formats).Append("\r\n")
            .Append("c=IN IP4 0.0.0.0\r\na=mid:").Append(mid).Append("\r\n")
            .Append("a=ice-ufrag:").Append(ufrag).Append("\r\na=ice-pwd:").Append(pwd).Append("\r\n")
            .Append("a=fingerprint:").Append(fingerprint).Append("\r\na=setup:actpass\r\na=sendonly\r\na=rtcp-mux\r\n")
            .Append(codecs);

    [GeneratedRegex(@"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host")]
    private static partial Regex Candidate();
}
