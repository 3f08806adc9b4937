using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>
/// The pulled cameras' RTSP answers, request by request over a loopback connection: what a
/// client that pulls a camera (the media server, ffmpeg) is told, and what bad requests get.
/// </summary>
public sealed class CameraRtspServerTests : IDisposable
{
    private readonly SyntheticH264 _h264 = new(2000, 30, gopSeconds: 1, maxPayload: 1188);
    private readonly PulledCamera _camera;
    private readonly CameraRtspServer _server;
    private readonly string _url;

    public CameraRtspServerTests()
    {
        _camera = new PulledCamera("cam0", "load/cam0", _h264, 0);
        _server = CameraRtspServer.Start([_camera, new PulledCamera("cam1", "load/cam1", _h264, 0)]);
        _url = _server.Url(_camera);
    }

    public void Dispose() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public async Task Options_is_answered_with_the_methods_the_camera_serves_and_the_requests_cseq()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        await client.SendAsync("OPTIONS * RTSP/1.0\r\nCSeq: 41\r\n\r\n");

        var options = Assert.IsType<RawRtspResponse>(await client.ReadMessageAsync());
        Assert.Equal(200, options.Status);
        Assert.Equal("41", options.Header("CSeq"));
        foreach (string method in new[] { "DESCRIBE", "SETUP", "PLAY", "TEARDOWN", "GET_PARAMETER" })
        {
            Assert.Contains(method, options.Header("Public"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Describe_answers_h264_sdp_with_parameter_sets_a_track_control_and_a_content_base()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);

        RawRtspResponse describe = await client.RequestAsync("DESCRIBE", _url, "Accept: application/sdp\r\n");

        Assert.Equal(200, describe.Status);
        Assert.Equal("application/sdp", describe.Header("Content-Type"));
        Assert.Equal($"rtsp://127.0.0.1:{_server.EndPoint.Port}/cam0/", describe.Header("Content-Base"));
        Assert.Contains("a=rtpmap:96 H264/90000", describe.Body, StringComparison.Ordinal);
        Assert.Contains($"sprop-parameter-sets={Convert.ToBase64String(SyntheticH264.Sps)},{Convert.ToBase64String(SyntheticH264.Pps)}", describe.Body, StringComparison.Ordinal);
        Assert.Equal("trackID=0", SdpControl.FirstMedia(describe.Body));
    }

    [Fact]
    public async Task Describe_of_a_path_no_camera_serves_is_404()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);

        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", $"rtsp://{_server.EndPoint}/cam7")).Status);
        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", $"rtsp://{_server.EndPoint}/")).Status);
        Assert.Equal(200, (await client.RequestAsync("DESCRIBE", $"rtsp://{_server.EndPoint}/cam1")).Status);
    }

    [Fact]
    public async Task An_unknown_method_is_501_and_the_connection_goes_on()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);

        Assert.Equal(501, (await client.RequestAsync("FROBNICATE", _url)).Status);
        Assert.Equal(501, (await client.RequestAsync("RECORD", _url)).Status);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", _url)).Status);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")] // not RTSP
    [InlineData("DESCRIBE rtsp://127.0.0.1/cam0 RTSP/1.0\r\n\r\n")] // no CSeq
    [InlineData("DESCRIBE rtsp://127.0.0.1/cam0\r\nCSeq: 1\r\n\r\n")] // no version
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nno colon here\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: -5\r\n\r\n")]
    public async Task A_request_the_camera_cannot_read_is_400_and_its_connection_is_closed(string request)
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        await client.SendAsync(request);

        var answer = Assert.IsType<RawRtspResponse>(await client.ReadMessageAsync());
        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Header("X-Reason"));
        Assert.Null(await client.ReadMessageAsync());

        // Nothing else is affected: another connection is served.
        using RawRtspClient other = await RawRtspClient.ConnectAsync(_server.EndPoint);
        Assert.Equal(200, (await other.RequestAsync("DESCRIBE", _url)).Status);
    }

    [Fact]
    public async Task Headers_longer_than_the_limit_are_400_without_waiting_for_their_end()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        await client.SendAsync("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Long: " + new string('a', CameraRtspRequest.MaxHeaderBytes));

        var answer = Assert.IsType<RawRtspResponse>(await client.ReadMessageAsync());
        Assert.Equal(400, answer.Status);
        Assert.Null(await client.ReadMessageAsync());
    }

    [Fact]
    public async Task Setup_of_a_track_or_camera_that_does_not_exist_is_404()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        const string Tcp = "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n";

        Assert.Equal(404, (await client.RequestAsync("SETUP", _url + "/trackID=1", Tcp)).Status);
        Assert.Equal(404, (await client.RequestAsync("SETUP", $"rtsp://{_server.EndPoint}/cam7/trackID=0", Tcp)).Status);
        Assert.Equal(459, (await client.RequestAsync("SETUP", _url, Tcp)).Status);
        Assert.Equal(200, (await client.RequestAsync("SETUP", _url + "/trackID=0", Tcp)).Status);
    }

    [Fact]
    public async Task Setup_without_a_transport_the_camera_serves_is_461_and_session_requests_without_a_session_are_454()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);

        Assert.Equal(461, (await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP;multicast;destination=224.2.0.1;port=5000-5001\r\n")).Status);
        Assert.Equal(461, (await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP;unicast\r\n")).Status); // UDP without client_port
        Assert.Equal(461, (await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n")).Status);
        Assert.Equal(400, (await client.RequestAsync("SETUP", _url + "/trackID=0")).Status);
        Assert.Equal(454, (await client.RequestAsync("PLAY", _url)).Status);
        Assert.Equal(454, (await client.RequestAsync("PLAY", _url, "Session: 0123456789abcdef\r\n")).Status);
        Assert.Equal(454, (await client.RequestAsync("GET_PARAMETER", _url, "Session: 0123456789abcdef\r\n")).Status);
        Assert.Equal(454, (await client.RequestAsync("TEARDOWN", _url, "Session: 0123456789abcdef\r\n")).Status);
    }

    [Fact]
    public async Task A_session_set_up_on_another_connection_is_not_found_here()
    {
        using RawRtspClient owner = await RawRtspClient.ConnectAsync(_server.EndPoint);
        using RawRtspClient other = await RawRtspClient.ConnectAsync(_server.EndPoint);
        RawRtspResponse setup = await owner.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");

        Assert.Equal(454, (await other.RequestAsync("PLAY", _url, $"Session: {setup.Session}\r\n")).Status);
        Assert.Equal(0, _camera.PlayingSessions);
    }

    [Fact]
    public async Task A_playing_tcp_session_gets_every_frame_on_its_channel_from_the_rtp_info_sequence_with_keepalives_answered_between_frames()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        RawRtspResponse setup = await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=4-5\r\n");
        Assert.Contains("interleaved=4-5", setup.Header("Transport"), StringComparison.Ordinal);
        _camera.SendFrame(); // before PLAY: not sent to the session
        RawRtspResponse play = await client.RequestAsync("PLAY", _url, $"Session: {setup.Session}\r\n");
        Assert.Equal(200, play.Status);
        (ushort firstSequence, uint firstTimestamp) = RtpInfo(play);

        for (int i = 0; i < 3; i++)
        {
            _camera.SendFrame();
        }

        List<InterleavedFrame> frames = [.. await ReadFramesAsync(client, 3)];
        await client.SendAsync($"GET_PARAMETER {_url} RTSP/1.0\r\nCSeq: 90\r\nSession: {setup.Session}\r\n\r\n");
        RawRtspResponse keepAlive = await ReadAnswerCollectingFramesAsync(client, frames);
        Assert.Equal(200, keepAlive.Status);
        Assert.Equal("90", keepAlive.Header("CSeq"));
        _camera.SendFrame();
        frames.AddRange(await ReadFramesAsync(client, 1));

        Assert.All(frames, f => Assert.Equal(4, f.Channel));
        Assert.Equal(firstTimestamp, frames[0].Timestamp);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal((ushort)(firstSequence + i), frames[i].Sequence);
        }

        Assert.Contains(frames, f => LatencyStamp.TryRead(f.Data, out _));
        Assert.Equal(frames.Count, _camera.PacketsSent);

        RawRtspResponse teardown = await client.RequestAsync("TEARDOWN", _url, $"Session: {setup.Session}\r\n");
        Assert.Equal(200, teardown.Status);
        Assert.Equal(0, _camera.PlayingSessions);
        _camera.SendFrame();
        Assert.Equal(frames.Count, _camera.PacketsSent);
    }

    [Fact]
    public async Task A_playing_udp_session_gets_each_packet_as_a_datagram_from_its_server_port()
    {
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        rtcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port, rtcpPort = ((IPEndPoint)rtcp.LocalEndPoint!).Port;
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);

        RawRtspResponse setup = await client.RequestAsync("SETUP", _url + "/trackID=0",
            $"Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record,RTP/AVP;unicast;client_port={rtpPort}-{rtcpPort}\r\n");
        Assert.Equal(200, setup.Status);
        string transport = setup.Header("Transport")!;
        Assert.Contains($"client_port={rtpPort}-{rtcpPort}", transport, StringComparison.Ordinal);
        int serverRtpPort = int.Parse(transport.Split("server_port=")[1].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        (ushort firstSequence, _) = RtpInfo(await client.RequestAsync("PLAY", _url, $"Session: {setup.Session}\r\n"));
        _camera.SendFrame(); // the keyframe: SPS, PPS and the IDR's fragments

        byte[] datagram = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (int i = 0; i < _h264.Keyframe.Length; i++)
        {
            SocketReceiveFromResult received = await rtp.ReceiveFromAsync(datagram, SocketFlags.None, from, timeout.Token);
            Assert.Equal(serverRtpPort, ((IPEndPoint)received.RemoteEndPoint).Port);
            Assert.Equal(12 + _h264.Keyframe[i].Length, received.ReceivedBytes);
            Assert.Equal((ushort)(firstSequence + i), new InterleavedFrame(0, datagram[..received.ReceivedBytes]).Sequence);
        }
    }

    [Fact]
    public async Task Pause_stops_the_frames_and_play_resumes_them_from_a_new_rtp_info()
    {
        using RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        RawRtspResponse setup = await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
        string session = $"Session: {setup.Session}\r\n";
        await client.RequestAsync("PLAY", _url, session);
        _camera.SendFrame();
        List<InterleavedFrame> before = await ReadFramesAsync(client, 1);

        Assert.Equal(200, (await client.RequestAsync("PAUSE", _url, session)).Status);
        Assert.Equal(0, _camera.PlayingSessions);
        _camera.SendFrame(); // not sent: paused
        (ushort resumed, _) = RtpInfo(await client.RequestAsync("PLAY", _url, session));
        _camera.SendFrame();
        List<InterleavedFrame> after = await ReadFramesAsync(client, 1);

        Assert.Equal(resumed, after[0].Sequence);
        Assert.Equal((ushort)(before[^1].Sequence + 1 + _h264.Predicted.Length), resumed); // the paused frame was skipped
        Assert.Equal(2, _camera.Plays);
    }

    [Fact]
    public async Task A_client_that_closes_its_connection_leaves_the_camera_with_no_session()
    {
        RawRtspClient client = await RawRtspClient.ConnectAsync(_server.EndPoint);
        RawRtspResponse setup = await client.RequestAsync("SETUP", _url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
        await client.RequestAsync("PLAY", _url, $"Session: {setup.Session}\r\n");
        Assert.Equal(1, _camera.PlayingSessions);

        client.Dispose();

        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (_camera.PlayingSessions > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            _camera.SendFrame();
            await Task.Delay(20);
        }

        Assert.Equal(0, _camera.PlayingSessions);
        Assert.Equal(0, _camera.SendFailures);
    }

    private static (ushort Sequence, uint Timestamp) RtpInfo(RawRtspResponse play)
    {
        string info = play.Header("RTP-Info") ?? throw new InvalidOperationException("PLAY has no RTP-Info: " + play);
        Dictionary<string, string> fields = info.Split(';').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.EndsWith("/cam0/trackID=0", fields["url"], StringComparison.Ordinal);
        return (ushort.Parse(fields["seq"], System.Globalization.CultureInfo.InvariantCulture),
            uint.Parse(fields["rtptime"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The packets of <paramref name="count"/> frames (a frame ends at the RTP marker bit).</summary>
    private static async Task<List<InterleavedFrame>> ReadFramesAsync(RawRtspClient client, int count)
    {
        var packets = new List<InterleavedFrame>();
        while (count > 0)
        {
            InterleavedFrame packet = Assert.IsType<InterleavedFrame>(await client.ReadMessageAsync());
            packets.Add(packet);
            if ((packet.Data[1] & 0x80) != 0)
            {
                count--;
            }
        }

        return packets;
    }

    private static async Task<RawRtspResponse> ReadAnswerCollectingFramesAsync(RawRtspClient client, List<InterleavedFrame> frames)
    {
        while (true)
        {
            switch (await client.ReadMessageAsync())
            {
                case RawRtspResponse response:
                    return response;
                case InterleavedFrame frame:
                    frames.Add(frame);
                    break;
                default:
                    throw new IOException("The camera closed the connection.");
            }
        }
    }
}
