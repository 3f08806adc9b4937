namespace MediaServer.Rtsp.Tests.Server;

/// <summary>Every configured limit gives the client a clear status and leaves everyone else alone.</summary>
public class RtspLimitTests
{
    [Fact]
    public async Task A_connection_past_the_per_address_limit_is_closed_at_accept_and_other_addresses_still_connect()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Limits:MaxConnectionsPerAddress=2");
        await using RawRtspClient first = await RawRtspClient.ConnectAsync(host.RtspPort);
        await using RawRtspClient second = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await first.RequestAsync("OPTIONS", host.Url("x"))).Status);
        Assert.Equal(200, (await second.RequestAsync("OPTIONS", host.Url("x"))).Status);

        // Refused without a word from the client: it cannot hold the socket by staying silent.
        double before = Rejections("connections_per_address");
        await using RawRtspClient third = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.True(await third.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the refused connection is still open");
        Assert.True(Rejections("connections_per_address") >= before + 1, "the refusal is counted");

        await using RawRtspClient neighbour = await RawRtspClient.ConnectAsync(host.RtspPort, fromAddress: "127.0.0.2");
        Assert.Equal(200, (await neighbour.RequestAsync("OPTIONS", host.Url("x"))).Status);
        Assert.Equal(200, (await first.RequestAsync("OPTIONS", host.Url("x"))).Status);

        // A slot comes back when a connection ends.
        await second.DisposeAsync();
        Assert.True(await Eventually(async () =>
        {
            await using RawRtspClient again = await RawRtspClient.ConnectAsync(host.RtspPort);
            return (await again.RequestAsync("OPTIONS", host.Url("x"))).Status == 200;
        }));
    }

    [Fact]
    public async Task Publishers_past_the_limit_get_453_and_the_first_keeps_publishing()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Streams:MaxPublishers=1");
        double before = Rejections("publishers");
        await using RawRtspClient first = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient second = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(453, (await second.RequestAsync("ANNOUNCE", host.Url("cam2"), body: TestMedia.H264Sdp)).Status);
        Assert.True(Rejections("publishers") >= before + 1, "the refusal is counted");
        Assert.Equal(200, (await first.RequestAsync("GET_PARAMETER", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Readers_past_the_per_path_limit_get_453_at_play()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Streams:MaxReadersPerPath=1");
        await using RawRtspClient camera = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(camera, 1, 1000, tag: 3);
        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            await using RawRtspClient late = await RawRtspClient.ConnectAsync(host.RtspPort);
            RtspReply describe = await late.RequestAsync("DESCRIBE", host.Url("cam1"));
            Assert.Equal(200, (await late.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")).Status);
            Assert.Equal(453, (await late.RequestAsync("PLAY", host.Url("cam1"))).Status);

            (byte channel, byte[] payload) = await reader.ReadFrameAsync();
            Assert.Equal(0, channel);
            Assert.Equal(3, payload[^1]);
        }
    }

    [Fact]
    public async Task Sessions_past_the_per_connection_limit_get_453()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:MaxSessionsPerConnection=1");
        await using RawRtspClient camera1 = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient camera2 = await TestMedia.PublishAsync(host, "cam2");
        await using RawRtspClient player = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply first = await player.RequestAsync("DESCRIBE", host.Url("cam1"));
        Assert.Equal(200, (await player.RequestAsync("SETUP", first["Content-Base"] + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")).Status);
        string session = player.Session!;
        player.Session = null;
        RtspReply second = await player.RequestAsync("DESCRIBE", host.Url("cam2"));
        Assert.Equal(453, (await player.RequestAsync("SETUP", second["Content-Base"] + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=2-3")).Status);
        player.Session = session;
        Assert.Equal(200, (await player.RequestAsync("PLAY", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task A_request_that_trickles_in_too_slowly_closes_its_connection()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:Limits:RequestTimeoutSeconds=1");
        double before = Rejections("rtsp_request_timeout");
        await using RawRtspClient slow = await RawRtspClient.ConnectAsync(host.RtspPort);
        await slow.SendRawAsync($"OPTIONS {host.Url("x")} RTSP/1.0\r\nCSeq: 1\r\n");
        Assert.True(await slow.IsClosedByServerAsync(TimeSpan.FromSeconds(15)));
        Assert.True(Rejections("rtsp_request_timeout") >= before + 1, "the timeout is counted");
    }

    [Fact]
    public async Task A_connection_that_never_sets_up_a_session_is_closed_after_the_session_timeout()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:SessionTimeoutSeconds=1");
        await using RawRtspClient idle = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await idle.RequestAsync("OPTIONS", host.Url("x"))).Status);
        Assert.True(await idle.IsClosedByServerAsync(TimeSpan.FromSeconds(15)));
    }

    // Counters only grow, so "at least one more than before" holds even with other tests running.
    private static double Rejections(string limit) => Core.Metrics.MetricsRegistry.LimitRejections.WithLabels(limit).Value;

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
