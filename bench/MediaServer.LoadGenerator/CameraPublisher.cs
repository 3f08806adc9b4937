using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One camera: publishes H.264 to a path with ANNOUNCE, SETUP (RTP/AVP/TCP interleaved) and
/// RECORD, then sends each frame as one burst of interleaved RTP packets in a single write, the
/// way a camera's encoder hands a whole frame to its socket. Every fragment carries the time of
/// that write (<see cref="LatencyStamp"/>).
/// </summary>
internal sealed class CameraPublisher : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SyntheticH264 _stream;
    private readonly byte[] _burst;
    private readonly uint _ssrc;
    private readonly CancellationTokenSource _stop = new();
    private Task _drain = Task.CompletedTask;
    private ushort _sequence;
    private uint _timestamp;
    private long _frames;

    private CameraPublisher(Socket socket, SyntheticH264 stream, string path, int gopPhase)
    {
        _frames = gopPhase;
        _socket = socket;
        _stream = stream;
        Path = path;
        _ssrc = (uint)Random.Shared.Next();
        _sequence = (ushort)Random.Shared.Next();
        int largest = Math.Max(stream.Keyframe.Sum(p => p.Length + 16), stream.Predicted.Sum(p => p.Length + 16));
        _burst = new byte[largest];
    }

    public string Path { get; }

    public long PacketsSent { get; private set; }

    public long BytesSent { get; private set; }

    /// <param name="gopPhase">Frames into its GOP the camera starts: independent cameras' keyframes do
    /// not line up, and cameras connected a few milliseconds apart would otherwise all send their
    /// 70 kB keyframes within the same few milliseconds, every GOP.</param>
    public static async Task<CameraPublisher> ConnectAsync(IPEndPoint server, string path, SyntheticH264 stream, int gopPhase, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);
        var camera = new CameraPublisher(socket, stream, path, gopPhase);
        var control = new RtspControlChannel(socket, new Uri($"rtsp://{server}/"));
        string url = control.Url(path);
        await control.RequestAsync("ANNOUNCE", url, cancellationToken, "Content-Type: application/sdp\r\n", Sdp());
        RtspResponse setup = await control.RequestAsync("SETUP", url + "/streamid=0", cancellationToken,
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n");
        await control.RequestAsync("RECORD", url, cancellationToken, $"Session: {setup.Session}\r\nRange: npt=0.000-\r\n");
        camera._drain = camera.DrainAsync();
        return camera;
    }

    /// <summary>Sends the next frame; called by the pacer, one caller at a time.</summary>
    public void SendFrame()
    {
        byte[][] payloads = _stream.Frame(_frames++);
        long now = Stopwatch.GetTimestamp();
        int offset = 0;
        for (int i = 0; i < payloads.Length; i++)
        {
            byte[] payload = payloads[i];
            int rtpLength = 12 + payload.Length;
            Span<byte> frame = _burst.AsSpan(offset, 4 + rtpLength);
            frame[0] = (byte)'$';
            frame[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)rtpLength);
            Span<byte> rtp = frame[4..];
            rtp[0] = 0x80;
            rtp[1] = (byte)((i == payloads.Length - 1 ? 0x80 : 0) | 96);
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], _ssrc);
            payload.CopyTo(rtp[12..]);
            if (LatencyStamp.Fits(payload))
            {
                LatencyStamp.Write(rtp[12..], now);
            }

            offset += frame.Length;
        }

        _timestamp += _stream.TimestampStep;
        _socket.Send(_burst.AsSpan(0, offset));
        PacketsSent += payloads.Length;
        BytesSent += offset;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _drain;
        _stop.Dispose();
    }

    /// <summary>Reads and discards what the server sends back (RTCP receiver reports).</summary>
    private async Task DrainAsync()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static string Sdp()
    {
        string sprop = Convert.ToBase64String(SyntheticH264.Sps) + "," + Convert.ToBase64String(SyntheticH264.Pps);
        return "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=LoadGenerator camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
            $"a=fmtp:96 packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets={sprop}\r\n" +
            "a=control:streamid=0\r\n";
    }
}
