using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One camera: publishes H.264 to a path with ANNOUNCE, SETUP (RTP/AVP/TCP interleaved) and
/// RECORD, then sends each frame as one burst of interleaved RTP packets in a single write, the
/// way a camera's encoder hands a whole frame to its socket (<see cref="CameraRtpStream"/>).
/// </summary>
internal sealed class CameraPublisher : ICamera
{
    private readonly Socket _socket;
    private readonly CameraRtpStream _stream;
    private readonly byte[] _burst;
    private readonly CancellationTokenSource _stop = new();
    private Task _drain = Task.CompletedTask;

    private CameraPublisher(Socket socket, SyntheticH264 stream, string path, int gopPhase)
    {
        _socket = socket;
        _stream = new CameraRtpStream(stream, gopPhase);
        Path = path;
        _burst = new byte[_stream.MaxBurstLength];
    }

    public string Path { get; }

    public long PacketsSent { get; private set; }

    public long BytesSent { get; private set; }

    /// <param name="gopPhase">Frames into its GOP the camera starts (<see cref="CameraRtpStream"/>).</param>
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
        (int length, int packets) = _stream.WriteFrame(_burst, Stopwatch.GetTimestamp());
        _socket.Send(_burst.AsSpan(0, length));
        PacketsSent += packets;
        BytesSent += length;
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
        return "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=LoadGenerator camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            SyntheticH264.SdpMedia("streamid=0");
    }
}
