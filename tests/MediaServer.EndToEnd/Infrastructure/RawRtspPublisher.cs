using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// A camera without ffmpeg: publishes one H.264 track over RTSP/TCP interleaved and sends RTP
/// packets the test makes byte by byte, so what a viewer receives can be compared exactly.
/// </summary>
internal sealed class RawRtspPublisher : IAsyncDisposable
{
    private const string Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==\r\n" +
        "a=control:streamid=0\r\n";

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _cseq;
    private string? _session;

    private RawRtspPublisher(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawRtspPublisher> StartAsync(int rtspPort, string path)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", rtspPort);
        var publisher = new RawRtspPublisher(tcp);
        string url = $"rtsp://127.0.0.1:{rtspPort}/{path}";
        await publisher.RequestAsync("ANNOUNCE", url, "Content-Type: application/sdp\r\n", Sdp);
        await publisher.RequestAsync("SETUP", url + "/streamid=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n");
        await publisher.RequestAsync("RECORD", url, "Range: npt=0.000-\r\n");
        return publisher;
    }

    /// <summary>An RTP packet of one NAL unit: header, then <paramref name="nal"/> as given.</summary>
    public static byte[] Rtp(ushort seq, uint timestamp, ReadOnlySpan<byte> nal, bool marker = true)
    {
        byte[] packet = new byte[12 + nal.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xCAFEBABE);
        nal.CopyTo(packet.AsSpan(12));
        return packet;
    }

    public async Task SendAsync(byte[] rtp)
    {
        byte[] frame = new byte[4 + rtp.Length];
        frame[0] = (byte)'$';
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)rtp.Length);
        rtp.CopyTo(frame.AsSpan(4));
        await _stream.WriteAsync(frame);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RequestAsync(string method, string url, string headers, string body = "")
    {
        string session = _session is null ? "" : $"Session: {_session}\r\n";
        string content = body.Length == 0 ? "" : $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n";
        string request = $"{method} {url} RTSP/1.0\r\nCSeq: {++_cseq}\r\n{session}{headers}{content}\r\n{body}";
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request));

        // Replies to these requests have no body: read up to the blank line.
        var reply = new StringBuilder();
        byte[] one = new byte[1];
        while (!reply.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one) == 0)
            {
                throw new InvalidOperationException($"{method}: the server closed the connection");
            }

            reply.Append((char)one[0]);
        }

        string text = reply.ToString();
        if (!text.StartsWith("RTSP/1.0 200", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{method} refused: {text}");
        }

        foreach (string line in text.Split("\r\n"))
        {
            if (line.StartsWith("Session:", StringComparison.OrdinalIgnoreCase))
            {
                _session = line[8..].Split(';')[0].Trim();
            }
        }
    }
}
