using System.Buffers.Binary;
using MediaServer.Core.Sources;
using MediaServer.Media.Rtcp;
using MediaServer.Rtsp.Server;
using MediaServer.Rtsp.Tests.Server;

namespace MediaServer.Rtsp.Tests.Client;

public sealed class RtspSourceConnectorTests
{
    private static readonly SourceConnectOptions Tcp = new() { Transport = SourceTransport.Tcp, RequestTimeout = TimeSpan.FromSeconds(5) };

    private static string WithCredentials(ScriptedCamera camera, CameraScript script) =>
        $"rtsp://{Uri.EscapeDataString(script.User)}:{Uri.EscapeDataString(script.Password)}@127.0.0.1:{camera.Port}/cam";

    private static async Task<SourceException> OpenFailsAsync(string url, SourceConnectOptions options)
    {
        Task<ISourceConnection> open = PulledStream.OpenConnectionAsync(url, options);
        Assert.True(await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(20))) == open, "OpenAsync did not end");
        return await Assert.ThrowsAsync<SourceException>(() => open);
    }

    [Theory]
    [InlineData("Digest", true)]
    [InlineData("Digest", false)]
    [InlineData("Digest-SHA-256", true)]
    [InlineData("Digest-SHA-256", false)]
    [InlineData("Basic", true)]
    public async Task A_camera_behind_authentication_is_opened_with_the_URL_credentials(string auth, bool qop)
    {
        var script = new CameraScript { Auth = auth, DigestQop = qop };
        await using var camera = ScriptedCamera.Start(script.Answer);

        await using ISourceConnection connection = await PulledStream.OpenConnectionAsync(WithCredentials(camera, script), Tcp);

        Assert.Single(connection.Description.Media);
        Assert.Single(camera.RequestsOf("SETUP"));
        // The credentials travel in Authorization only, never in a request URL.
        Assert.All(camera.Requests, r => Assert.DoesNotContain("@", r.Uri, StringComparison.Ordinal));
        Assert.All(camera.Requests.Skip(1), r => Assert.NotNull(r["Authorization"]));
    }

    [Fact]
    public async Task A_second_401_to_the_answered_challenge_is_Unauthorized()
    {
        var script = new CameraScript { Auth = "Digest", Password = "the camera's" };
        await using var camera = ScriptedCamera.Start(script.Answer);

        SourceException failure = await OpenFailsAsync($"rtsp://admin:wrong@127.0.0.1:{camera.Port}/cam", Tcp);

        Assert.Equal(SourceFailureReason.Unauthorized, failure.Reason);
        Assert.Equal(2, camera.RequestsOf("OPTIONS").Length); // the challenge was answered once, not again
    }

    [Fact]
    public async Task A_challenge_without_credentials_in_the_URL_is_Unauthorized()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript { Auth = "Basic" }.Answer);

        Assert.Equal(SourceFailureReason.Unauthorized, (await OpenFailsAsync(camera.Url, Tcp)).Reason);
    }

    [Fact]
    public async Task A_404_to_DESCRIBE_is_NotFound()
    {
        var script = new CameraScript();
        await using var camera = ScriptedCamera.Start((r, c) => r.Method == "DESCRIBE" ? ScriptedCamera.Answer(r, 404, "Not Found") : script.Answer(r, c));

        Assert.Equal(SourceFailureReason.NotFound, (await OpenFailsAsync(camera.Url, Tcp)).Reason);
    }

    [Fact]
    public async Task A_camera_that_never_answers_is_a_Timeout()
    {
        await using var camera = ScriptedCamera.Start((_, _) => null);

        SourceException failure = await OpenFailsAsync(camera.Url, Tcp with { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(SourceFailureReason.Timeout, failure.Reason);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_Unreachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.Equal(SourceFailureReason.Unreachable, (await OpenFailsAsync($"rtsp://127.0.0.1:{port}/cam", Tcp)).Reason);
    }

    [Fact]
    public async Task A_malformed_answer_is_a_Protocol_failure()
    {
        await using var camera = ScriptedCamera.Start((r, _) => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(SourceFailureReason.Protocol, (await OpenFailsAsync(camera.Url, Tcp)).Reason);
    }

    [Theory]
    // Content-Base with a relative control.
    [InlineData("Content-Base: rtsp://127.0.0.1:{port}/base/", "a=control:*", "trackID=1", "rtsp://127.0.0.1:{port}/base/trackID=1")]
    // Content-Location when there is no Content-Base.
    [InlineData("Content-Location: rtsp://127.0.0.1:{port}/loc", "a=control:*", "trackID=1", "rtsp://127.0.0.1:{port}/loc/trackID=1")]
    // The request URL when neither is given.
    [InlineData(null, "a=control:*", "trackID=1", "rtsp://127.0.0.1:{port}/cam/trackID=1")]
    // An absolute control is used as it is.
    [InlineData("Content-Base: rtsp://127.0.0.1:{port}/base/", "a=control:*", "rtsp://127.0.0.1:{port}/elsewhere/video", "rtsp://127.0.0.1:{port}/elsewhere/video")]
    // A media control of "*" is the base itself.
    [InlineData("Content-Base: rtsp://127.0.0.1:{port}/only/", "a=control:*", "*", "rtsp://127.0.0.1:{port}/only/")]
    // An absolute session-level control is the base of the media's relative one.
    [InlineData(null, "a=control:rtsp://127.0.0.1:{port}/agg", "track1", "rtsp://127.0.0.1:{port}/agg/track1")]
    public async Task Track_SETUP_URLs_resolve_the_control_against_the_camera_base(string? baseHeader, string sessionControl, string control, string expected)
    {
        int port = 0;
        string sdp = CameraScript.H264Sdp.Replace("a=control:*", sessionControl, StringComparison.Ordinal).Replace("a=control:trackID=1", "a=control:" + control, StringComparison.Ordinal);
        CameraScript? script = null;
        await using var camera = ScriptedCamera.Start((r, c) => script!.Answer(r, c));
        port = camera.Port;
        script = new CameraScript
        {
            Sdp = sdp.Replace("{port}", port.ToString(), StringComparison.Ordinal),
            DescribeHeaders = baseHeader is null ? [] : [baseHeader.Replace("{port}", port.ToString(), StringComparison.Ordinal)],
        };

        await using ISourceConnection connection = await PulledStream.OpenConnectionAsync(camera.Url, Tcp);

        Assert.Equal(expected.Replace("{port}", port.ToString(), StringComparison.Ordinal), Assert.Single(camera.RequestsOf("SETUP")).Uri);
        // The description handed to the server names its own controls, none of the camera's.
        Assert.Equal("trackID=0", connection.Description.Media[0].Control);
        Assert.Null(connection.Description.GetAttribute("control"));
    }

    [Fact]
    public async Task A_camera_with_a_query_in_its_URL_gets_the_control_appended_after_the_query()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);

        await using ISourceConnection connection = await PulledStream.OpenConnectionAsync(
            $"rtsp://127.0.0.1:{camera.Port}/cam/realmonitor?channel=1&subtype=0", Tcp);

        Assert.Equal($"rtsp://127.0.0.1:{camera.Port}/cam/realmonitor?channel=1&subtype=0/trackID=1", Assert.Single(camera.RequestsOf("SETUP")).Uri);
    }

    [Fact]
    public async Task Media_over_TCP_is_published_and_a_track_without_sprop_learns_its_parameter_sets_in_band()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.DoesNotContain("sprop-parameter-sets", pulled.Connection.Description.ToString(), StringComparison.Ordinal);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        CameraConnection connection = camera.Connections.Single();

        foreach (byte[] packet in PulledStream.Gop(100, 9000))
        {
            await connection.SendFrameAsync(0, packet);
        }

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count == 4), $"the reader got {pulled.Received.Count} of 4 packets");
        Assert.Equal([100, 101, 102, 103], pulled.Received.Select(p => (int)p.Sequence));
        Assert.Contains(pulled.Received, p => p.RandomAccess);
        Assert.Equal("tcp", pulled.Connection.Transport);
        // What the server's own DESCRIBE gives its readers now carries the parameter sets seen in band.
        string describe = DescribeBuilder.Build(pulled.Stream, "127.0.0.1");
        Assert.Contains("sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", describe, StringComparison.Ordinal);
        Assert.Contains("a=control:trackID=0", describe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER", "GET_PARAMETER")]
    [InlineData("OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN", "OPTIONS")]
    public async Task Keep_alives_go_out_at_half_the_session_timeout(string @public, string method)
    {
        // Due at 2 s; the camera's 4 s timeout is the deadline, so a loaded machine has 2 s of slack.
        await using var camera = ScriptedCamera.Start(new CameraScript { Public = @public, SessionTimeout = 4 }.Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        using var media = new CancellationTokenSource();
        Task feeding = FeedAsync(camera.Connections.Single(), media.Token);
        int optionsBefore = camera.RequestsOf("OPTIONS").Length;
        long played = Environment.TickCount64;

        Assert.True(await Poll.UntilAsync(() => camera.Requests.Count(r => r.Method == method) > (method == "OPTIONS" ? optionsBefore : 0), TimeSpan.FromSeconds(8)));
        long elapsed = Environment.TickCount64 - played;
        CameraRequest keepAlive = camera.Requests.Last(r => r.Method == method);

        Assert.True(elapsed < 4000, $"the first keep-alive came {elapsed} ms after PLAY, past the 4 s session timeout");
        Assert.Equal("12345678", keepAlive["Session"]);
        await media.CancelAsync();
        await feeding;
    }

    [Fact]
    public async Task Keep_alives_go_out_while_media_plays_over_UDP_and_their_answers_are_read()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript { SessionTimeout = 2 }.Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { Transport = SourceTransport.Udp });

        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("GET_PARAMETER").Length >= 2, TimeSpan.FromSeconds(5)), "fewer than two keep-alives");
        Assert.False(pulled.Run.IsCompleted, $"RunAsync ended: {pulled.Run.Exception?.InnerException?.Message}");
        Assert.Equal("12345678", camera.RequestsOf("GET_PARAMETER")[0]["Session"]);
    }

    [Fact]
    public async Task Receiver_reports_reach_the_camera_on_the_RTCP_channel()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { ReceiverReportInterval = TimeSpan.FromMilliseconds(200) });
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        using var media = new CancellationTokenSource();
        Task feeding = FeedAsync(camera.Connections.Single(), media.Token);

        Assert.True(await Poll.UntilAsync(() => camera.Frames.Any(f => f.Channel == 1)), "no receiver report arrived");
        byte[] report = camera.Frames.First(f => f.Channel == 1).Payload;
        var blocks = new RtcpReportBlock[4];

        Assert.True(RtcpReceiverReport.TryParse(report, out _, blocks, out int count));
        Assert.Equal(1, count);
        Assert.Equal(0x11223344u, blocks[0].Ssrc);
        await media.CancelAsync();
        await feeding;
    }

    [Fact]
    public async Task The_camera_closing_the_connection_Ends_the_run()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));

        camera.Connections.Single().Close();

        Assert.Equal(SourceFailureReason.Ended, (await pulled.FailureAsync()).Reason);
    }

    [Fact]
    public async Task An_RTCP_BYE_Ends_the_run()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        byte[] bye = new byte[RtcpGoodbye.SingleSourceLength];
        RtcpGoodbye.Write(bye, 0x11223344);

        await camera.Connections.Single().SendFrameAsync(1, bye);

        Assert.Equal(SourceFailureReason.Ended, (await pulled.FailureAsync()).Reason);
    }

    [Fact]
    public async Task A_camera_that_stops_sending_is_NoMedia()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { ReadTimeout = TimeSpan.FromMilliseconds(500) });

        Assert.Equal(SourceFailureReason.NoMedia, (await pulled.FailureAsync()).Reason);
    }

    [Fact]
    public async Task Garbage_after_PLAY_is_a_Protocol_failure()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));

        await camera.Connections.Single().SendAsync("GARBAGE\r\n\r\n"u8.ToArray());

        Assert.Equal(SourceFailureReason.Protocol, (await pulled.FailureAsync()).Reason);
    }

    [Fact]
    public async Task Automatic_transport_goes_over_TCP_when_the_camera_answers_UDP_with_461()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript { RefuseUdp = true }.Answer);

        await using ISourceConnection connection = await PulledStream.OpenConnectionAsync(camera.Url, Tcp with { Transport = SourceTransport.Automatic });

        Assert.Equal("tcp", connection.Transport);
        CameraRequest[] setups = camera.RequestsOf("SETUP");
        Assert.Equal(2, setups.Length);
        Assert.Contains("client_port", setups[0]["Transport"], StringComparison.Ordinal);
        Assert.Contains("RTP/AVP/TCP", setups[1]["Transport"], StringComparison.Ordinal);
        Assert.Equal(1, camera.ConnectionCount); // asked again on the same connection
    }

    [Fact]
    public async Task UDP_asked_for_explicitly_and_refused_with_461_is_Refused()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript { RefuseUdp = true }.Answer);

        Assert.Equal(SourceFailureReason.Refused, (await OpenFailsAsync(camera.Url, Tcp with { Transport = SourceTransport.Udp })).Reason);
        Assert.Single(camera.RequestsOf("SETUP"));
    }

    [Fact]
    public async Task Media_over_UDP_is_published_and_datagrams_from_another_address_are_not()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { Transport = SourceTransport.Udp });
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        (int rtp, _) = CameraScript.ClientPorts(camera.RequestsOf("SETUP")[0]);
        using var fromCamera = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        fromCamera.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var stranger = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        stranger.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
        var target = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, rtp);

        stranger.SendTo(PulledStream.Rtp(500, 1, PulledStream.Idr), target);
        foreach (byte[] packet in PulledStream.Gop(100, 9000))
        {
            fromCamera.SendTo(packet, target);
        }

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count >= 4), $"the reader got {pulled.Received.Count} of 4 packets");
        Assert.Equal("udp", pulled.Connection.Transport);
        Assert.DoesNotContain(pulled.Received, p => p.Sequence == 500);
    }

    [Fact]
    public async Task UDP_is_taken_from_the_source_the_SETUP_answer_names_and_not_from_the_RTSP_peer()
    {
        var script = new CameraScript();
        await using var camera = ScriptedCamera.Start((r, c) => r.Method != "SETUP" ? script.Answer(r, c)
            : ScriptedCamera.Answer(r, 200, "OK", [$"Transport: {r["Transport"]};server_port=40000-40001;source=127.0.0.2", "Session: 12345678"]));
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { Transport = SourceTransport.Udp });
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        (int rtp, _) = CameraScript.ClientPorts(camera.RequestsOf("SETUP")[0]);
        using var peer = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        peer.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var source = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        source.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
        var target = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, rtp);

        peer.SendTo(PulledStream.Rtp(500, 1, PulledStream.Idr), target);
        foreach (byte[] packet in PulledStream.Gop(100, 9000))
        {
            source.SendTo(packet, target);
        }

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count >= 4), $"the reader got {pulled.Received.Count} of 4 packets");
        Assert.DoesNotContain(pulled.Received, p => p.Sequence == 500);
    }

    [Fact]
    public async Task Receiver_reports_over_UDP_go_to_the_camera_RTCP_port()
    {
        using var cameraRtcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        cameraRtcp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int rtcpPort = ((System.Net.IPEndPoint)cameraRtcp.LocalEndPoint!).Port;
        var script = new CameraScript { ServerPorts = (rtcpPort - 1, rtcpPort) };
        await using var camera = ScriptedCamera.Start(script.Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with { Transport = SourceTransport.Udp, ReceiverReportInterval = TimeSpan.FromMilliseconds(200) });
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        (int rtp, _) = CameraScript.ClientPorts(camera.RequestsOf("SETUP")[0]);
        using var sender = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        sender.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        sender.SendTo(PulledStream.Rtp(1, 1, PulledStream.Idr), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, rtp));

        byte[] received = new byte[1500];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int length = await cameraRtcp.ReceiveAsync(received, System.Net.Sockets.SocketFlags.None, timeout.Token);
        var blocks = new RtcpReportBlock[4];

        Assert.True(RtcpReceiverReport.TryParse(received.AsSpan(0, length), out _, blocks, out int count));
        Assert.Equal(0x11223344u, blocks[0].Ssrc);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Automatic_transport_reopens_over_TCP_when_no_UDP_arrives_after_PLAY()
    {
        await using var camera = ScriptedCamera.Start(new CameraScript().Answer);
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp with
        {
            Transport = SourceTransport.Automatic,
            UdpFallbackAfter = TimeSpan.FromMilliseconds(300),
        });

        // The UDP session is torn down, and the tracks set up and played over TCP on the same connection.
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 2), "no second PLAY over TCP");
        string[] methods = [.. camera.Requests.Select(r => r.Method)];
        Assert.Equal(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN", "SETUP", "PLAY"], methods.Where(m => m != "GET_PARAMETER"));
        Assert.Contains("client_port", camera.RequestsOf("SETUP")[0]["Transport"], StringComparison.Ordinal);
        Assert.Contains("RTP/AVP/TCP", camera.RequestsOf("SETUP")[1]["Transport"], StringComparison.Ordinal);
        Assert.Equal(1, camera.ConnectionCount);
        foreach (byte[] packet in PulledStream.Gop(100, 9000))
        {
            await camera.Connections.Single().SendFrameAsync(0, packet);
        }

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count == 4), $"the reader got {pulled.Received.Count} of 4 packets");
        Assert.Equal("tcp", pulled.Connection.Transport);
        Assert.False(pulled.Run.IsCompleted);
    }

    [Fact]
    public async Task An_rtsps_camera_with_a_self_signed_certificate_is_pulled_over_TLS()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=camera", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var script = new CameraScript { Auth = "Basic" };
        await using var camera = ScriptedCamera.Start(script.Answer, certificate);
        string url = WithCredentials(camera, script).Replace("rtsp://", "rtsps://", StringComparison.Ordinal);

        // Automatic: an rtsps camera plays interleaved inside TLS rather than in clear over UDP.
        await using PulledStream pulled = await PulledStream.OpenAsync(url, Tcp with { Transport = SourceTransport.Automatic });
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        foreach (byte[] packet in PulledStream.Gop(7, 9000))
        {
            await camera.Connections.Single().SendFrameAsync(0, packet);
        }

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count == 4), $"the reader got {pulled.Received.Count} of 4 packets");
        Assert.Equal("tls", pulled.Connection.Transport);
        Assert.StartsWith("rtsps://127.0.0.1:", camera.RequestsOf("DESCRIBE").Last().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_tracks_are_published_on_the_channels_the_camera_chose()
    {
        const string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=Camera\r\nt=0 0\r\n" +
            "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:video\r\n" +
            "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:audio\r\n" +
            "m=application 0 TCP/ONVIF 107\r\na=control:metadata\r\n";
        var script = new CameraScript { Sdp = sdp };
        int setups = 0;
        await using var camera = ScriptedCamera.Start((r, c) => r.Method != "SETUP" ? script.Answer(r, c)
            : ScriptedCamera.Answer(r, 200, "OK", [$"Transport: RTP/AVP/TCP;unicast;interleaved={10 + (4 * setups)}-{11 + (4 * setups++)}", "Session: 12345678"]));
        await using PulledStream pulled = await PulledStream.OpenAsync(camera.Url, Tcp);
        Assert.True(await Poll.UntilAsync(() => camera.RequestsOf("PLAY").Length == 1));
        Assert.Equal(2, pulled.Connection.Description.Media.Count); // the non-RTP metadata line is left out
        Assert.Equal(["video", "audio"], pulled.Connection.Description.Media.Select(m => m.Media));
        CameraConnection connection = camera.Connections.Single();

        foreach (byte[] packet in PulledStream.Gop(100, 9000))
        {
            await connection.SendFrameAsync(10, packet);
        }

        byte[] audio = PulledStream.Rtp(7, 160, [0xFF, 0xFF, 0xFF]);
        audio[1] = 0x80; // PT 0 (PCMU), marker
        await connection.SendFrameAsync(14, audio);
        await connection.SendFrameAsync(0, PulledStream.Rtp(999, 1, PulledStream.Slice)); // a channel nobody set up

        Assert.True(await Poll.UntilAsync(() => pulled.Received.Count == 5), $"the reader got {pulled.Received.Count} of 5 packets");
        Assert.Equal(4, pulled.Received.Count(p => p.Track == 0));
        Assert.Equal(7, pulled.Received.Single(p => p.Track == 1).Sequence);
        Assert.DoesNotContain(pulled.Received, p => p.Sequence == 999);
    }

    [Fact]
    public async Task A_redirect_to_DESCRIBE_is_followed_with_the_URL_credentials()
    {
        var script = new CameraScript { Auth = "Digest" };
        await using var target = ScriptedCamera.Start(script.Answer);
        await using var front = ScriptedCamera.Start((r, c) => r.Method == "DESCRIBE"
            ? ScriptedCamera.Answer(r, 302, "Moved Temporarily", [$"Location: rtsp://127.0.0.1:{target.Port}/moved"])
            : script.Answer(r, c));

        await using ISourceConnection connection = await PulledStream.OpenConnectionAsync(WithCredentials(front, script), Tcp);

        Assert.Empty(front.RequestsOf("SETUP"));
        Assert.Equal($"rtsp://127.0.0.1:{target.Port}/moved", target.RequestsOf("DESCRIBE").Last().Uri);
        Assert.Equal($"rtsp://127.0.0.1:{target.Port}/moved/trackID=1", Assert.Single(target.RequestsOf("SETUP")).Uri);
    }

    [Fact]
    public async Task A_redirect_to_another_host_does_not_take_the_credentials_along()
    {
        var script = new CameraScript { Auth = "Basic" };
        await using var elsewhere = ScriptedCamera.Start(script.Answer, address: System.Net.IPAddress.Parse("127.0.0.2"));
        await using var front = ScriptedCamera.Start((r, c) => r.Method == "DESCRIBE"
            ? ScriptedCamera.Answer(r, 302, "Moved Temporarily", [$"Location: {elsewhere.Url}"])
            : script.Answer(r, c));

        SourceException failure = await OpenFailsAsync(WithCredentials(front, script), Tcp);

        Assert.Equal(SourceFailureReason.Unauthorized, failure.Reason);
        Assert.NotEmpty(elsewhere.Requests);
        Assert.All(elsewhere.Requests, r => Assert.Null(r["Authorization"]));
    }

    [Fact]
    public async Task A_camera_that_redirects_to_itself_forever_is_Refused()
    {
        ScriptedCamera? camera = null;
        camera = ScriptedCamera.Start((r, c) => r.Method == "DESCRIBE"
            ? ScriptedCamera.Answer(r, 301, "Moved Permanently", [$"Location: {camera!.Url}"])
            : new CameraScript().Answer(r, c));
        await using ScriptedCamera loop = camera;

        Assert.Equal(SourceFailureReason.Refused, (await OpenFailsAsync(camera.Url, Tcp)).Reason);
        Assert.Equal(4, camera.ConnectionCount);
    }

    /// <summary>Sends a packet every 50 ms, so a read timeout never fires while the test watches something else.</summary>
    private static async Task FeedAsync(CameraConnection connection, CancellationToken cancellationToken)
    {
        ushort sequence = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await connection.SendFrameAsync(0, PulledStream.Rtp(sequence++, (uint)sequence * 3000, PulledStream.Slice));
                await Task.Delay(50, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }
}
