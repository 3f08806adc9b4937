using System.Buffers.Binary;
using System.Text;
using MediaServer.Core.Streams;

namespace MediaServer.Rtsp.Tests.Server;

public class RtspServerTests
{
    [Fact]
    public async Task Options_lists_methods_and_echoes_cseq()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply reply = await client.RequestAsync("OPTIONS", host.Url("cam1"));
        Assert.Equal(200, reply.Status);
        Assert.Equal("1", reply["CSeq"]);
        Assert.Contains("ANNOUNCE", reply["Public"]);
        Assert.Contains("GET_PARAMETER", reply["Public"]);
    }

    [Fact]
    public async Task Describe_of_an_unpublished_path_is_404_and_of_an_invalid_path_400()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", host.Url("nobody"))).Status);
        Assert.Equal(400, (await client.RequestAsync("DESCRIBE", host.Url("a/../b"))).Status);
        Assert.Equal(400, (await client.RequestAsync("DESCRIBE", host.Url("a%20b"))).Status);
    }

    [Fact]
    public async Task Missing_cseq_is_400_and_the_connection_keeps_working()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        await client.SendRawAsync($"OPTIONS {host.Url("x")} RTSP/1.0\r\n\r\n");
        Assert.Equal(400, (await client.ReadReplyAsync()).Status);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", host.Url("x"))).Status);
    }

    [Fact]
    public async Task Garbage_gets_400_and_closes_only_that_connection()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 1, 1000, tag: 7);

        await using RawRtspClient attacker = await RawRtspClient.ConnectAsync(host.RtspPort);
        await attacker.SendRawAsync([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A]);
        Assert.Equal(400, (await attacker.ReadReplyAsync()).Status);
        Assert.True(await attacker.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));

        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            (byte channel, byte[] payload) = await reader.ReadFrameAsync();
            Assert.Equal(0, channel);
            Assert.Equal(0x67, payload[12]);
            Assert.Equal(7, payload[^1]);
        }

        Assert.Equal(200, (await publisher.RequestAsync("GET_PARAMETER", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Oversized_header_section_is_refused_and_the_connection_closed()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:Limits:MaxHeaderBytes=1024");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        await client.SendRawAsync($"OPTIONS {host.Url("x")} RTSP/1.0\r\nCSeq: 1\r\nX-Pad: {new string('a', 4000)}\r\n\r\n");
        RtspReply reply = await client.ReadReplyAsync();
        Assert.InRange(reply.Status, 400, 499);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Content_length_beyond_the_limit_is_413()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:Limits:MaxBodyLength=100");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        await client.SendRawAsync($"ANNOUNCE {host.Url("x")} RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: 100000\r\n\r\n");
        Assert.Equal(413, (await client.ReadReplyAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("Transport: RTP/AVP;multicast", 461)]
    [InlineData("Transport: RTP/AVP;unicast", 461)]
    [InlineData("Transport: RTP/SAVP;unicast;client_port=5000-5001", 461)]
    [InlineData("Transport: ;;;", 400)]
    [InlineData("X-No-Transport: 1", 400)]
    public async Task Bad_transports_are_refused(string header, int status)
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(status, (await client.RequestAsync("SETUP", host.Url("cam1/trackID=0"), header)).Status);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Session_of_another_connection_is_unknown_here()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        Assert.NotNull(publisher.Session);
        Assert.Equal(32, publisher.Session!.Length);

        await using RawRtspClient thief = await RawRtspClient.ConnectAsync(host.RtspPort);
        thief.Session = publisher.Session;
        Assert.Equal(454, (await thief.RequestAsync("PLAY", host.Url("cam1"))).Status);
        Assert.Equal(454, (await thief.RequestAsync("TEARDOWN", host.Url("cam1"))).Status);
        Assert.Equal(200, (await publisher.RequestAsync("GET_PARAMETER", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Play_without_a_session_is_454()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(454, (await client.RequestAsync("PLAY", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Announce_needs_an_sdp_that_parses()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(415, (await client.RequestAsync("ANNOUNCE", host.Url("cam1"), body: "hello", contentType: "text/plain")).Status);
        Assert.Equal(400, (await client.RequestAsync("ANNOUNCE", host.Url("cam1"), body: "this is not sdp")).Status);
        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Second_publisher_is_refused_and_the_first_keeps_publishing()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient first = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient second = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(400, (await second.RequestAsync("ANNOUNCE", host.Url("cam1"), body: TestMedia.H264Sdp)).Status);

        await TestMedia.SendKeyframeAsync(first, 1, 1000, tag: 1);
        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            Assert.Equal(1, (await reader.ReadFrameAsync()).Payload[^1]);
        }
    }

    [Fact]
    public async Task Path_configured_to_allow_it_replaces_its_publisher()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Paths:0:Name=~^.+$", "--Paths:0:OverridePublisher=true");
        await using RawRtspClient first = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient second = await TestMedia.PublishAsync(host, "cam1");
        Assert.True(await first.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));

        await TestMedia.SendKeyframeAsync(second, 1, 1000, tag: 2);
        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            Assert.Equal(2, (await reader.ReadFrameAsync()).Payload[^1]);
        }
    }

    [Fact]
    public async Task Paths_outside_the_configured_patterns_do_not_exist_and_read_only_paths_refuse_publishers()
    {
        await using MediaServerHost host = await TestServer.StartAsync(
            "--Paths:0:Name=~^cam[0-9]+$", "--Paths:1:Name=lobby", "--Paths:1:Publish=false");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(404, (await client.RequestAsync("ANNOUNCE", host.Url("garage"), body: TestMedia.H264Sdp)).Status);
        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", host.Url("garage"))).Status);
        Assert.Equal(403, (await client.RequestAsync("ANNOUNCE", host.Url("lobby"), body: TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await client.RequestAsync("ANNOUNCE", host.Url("cam7"), body: TestMedia.H264Sdp)).Status);
    }

    [Fact]
    public async Task Reader_gets_the_cached_gop_with_its_own_ssrc_and_continuous_sequence_numbers()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 100, 9000, tag: 5);
        await publisher.SendInterleavedAsync(0, TestMedia.Rtp(103, 12000, 0x41, 5));
        await publisher.SendInterleavedAsync(0, TestMedia.Rtp(110, 15000, 0x41, 5)); // a gap: loss upstream

        (RawRtspClient reader, uint ssrc) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            var nals = new List<byte>();
            ushort? previous = null;
            while (nals.Count < 5)
            {
                (byte channel, byte[] rtp) = await reader.ReadFrameAsync();
                if (channel == 1)
                {
                    continue; // a sender report may come between two bursts: RTCP has its own channel
                }

                Assert.Equal(0, channel);
                Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(8)));
                ushort seq = BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));
                if (previous is { } p)
                {
                    Assert.Equal((ushort)(p + 1), seq);
                }

                previous = seq;
                nals.Add(rtp[12]);
            }

            Assert.Equal([0x67, 0x68, 0x65, 0x41, 0x41], nals);
        }
    }

    [Fact]
    public async Task Pause_stops_delivery_and_play_resumes_at_the_cached_keyframe_with_sequence_numbers_continuing()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 1, 1000, tag: 3);

        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            ushort last = 0;
            for (int i = 0; i < 3; i++)
            {
                last = BinaryPrimitives.ReadUInt16BigEndian((await reader.ReadFrameAsync()).Payload.AsSpan(2));
            }

            Assert.Equal(200, (await reader.RequestAsync("PAUSE", host.Url("cam1"))).Status);
            Assert.Equal(200, (await reader.RequestAsync("PLAY", host.Url("cam1"))).Status);
            (_, byte[] again) = await reader.ReadFrameAsync();
            Assert.Equal(0x67, again[12]);
            Assert.Equal((ushort)(last + 1), BinaryPrimitives.ReadUInt16BigEndian(again.AsSpan(2)));
        }
    }

    [Fact]
    public async Task Publisher_gets_rtcp_receiver_reports_about_its_stream()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:ReceiverReportIntervalSeconds=0.05");
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 500, 1000, tag: 1);

        // Keep publishing until a report comes back on the RTCP channel (bounded by the read deadline).
        Task<(byte Channel, byte[] Payload)> report = publisher.ReadFrameAsync();
        for (ushort seq = 503; !report.IsCompleted && seq < 1503; seq++)
        {
            await publisher.SendInterleavedAsync(0, TestMedia.Rtp(seq, (uint)(seq * 3000), 0x41, 1));
            await Task.WhenAny(report, Task.Delay(10));
        }

        (byte channel, byte[] rtcp) = await report;
        Assert.Equal(1, channel);
        Assert.Equal(201, rtcp[1]);
        var blocks = new MediaServer.Media.Rtcp.RtcpReportBlock[1];
        Assert.True(MediaServer.Media.Rtcp.RtcpReceiverReport.TryParse(rtcp, out _, blocks, out int count));
        Assert.Equal(1, count);
        Assert.Equal(0xCAFEBABEu, blocks[0].Ssrc);
        Assert.InRange(blocks[0].ExtendedHighestSequence, 502u, 1502u);
        Assert.Equal(0, blocks[0].CumulativeLost);
    }

    [Fact]
    public async Task Udp_publisher_is_relayed_and_gets_receiver_reports_at_its_rtcp_port()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:ReceiverReportIntervalSeconds=0.05");
        using var rtp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var rtcp = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int rtpPort = ((System.Net.IPEndPoint)rtp.Client.LocalEndPoint!).Port;
        int rtcpPort = ((System.Net.IPEndPoint)rtcp.Client.LocalEndPoint!).Port;

        await using RawRtspClient publisher = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await publisher.RequestAsync("ANNOUNCE", host.Url("cam1"), body: TestMedia.H264Sdp)).Status);
        RtspReply setup = await publisher.RequestAsync("SETUP", host.Url("cam1") + "/streamid=0",
            $"Transport: RTP/AVP/UDP;unicast;client_port={rtpPort}-{rtcpPort};mode=record");
        Assert.Equal(200, setup.Status);
        string serverPorts = setup["Transport"]!.Split(';').Single(p => p.StartsWith("server_port=", StringComparison.Ordinal))[12..];
        int serverRtp = int.Parse(serverPorts.Split('-')[0]);
        Assert.Equal(200, (await publisher.RequestAsync("RECORD", host.Url("cam1"))).Status);

        var server = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, serverRtp);
        byte[][] keyframe = [TestMedia.Rtp(1, 1000, 0x67, 4, false), TestMedia.Rtp(2, 1000, 0x68, 4, false), TestMedia.Rtp(3, 1000, 0x65, 4)];
        foreach (byte[] packet in keyframe)
        {
            await rtp.SendAsync(packet, server);
        }

        Task<System.Net.Sockets.UdpReceiveResult> report = rtcp.ReceiveAsync();
        for (ushort seq = 4; !report.IsCompleted && seq < 1000; seq++)
        {
            await rtp.SendAsync(TestMedia.Rtp(seq, (uint)(seq * 3000), 0x41, 4), server);
            await Task.WhenAny(report, Task.Delay(10));
        }

        byte[] rr = (await report.WaitAsync(TimeSpan.FromSeconds(10))).Buffer;
        Assert.Equal(201, rr[1]);

        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            (_, byte[] first) = await reader.ReadFrameAsync();
            Assert.Equal(0x67, first[12]);
            Assert.Equal(4, first[^1]);
        }
    }

    [Fact]
    public async Task Describe_returns_the_publishers_tracks_with_our_control_urls()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "site/door");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply reply = await client.RequestAsync("DESCRIBE", host.Url("site/door"));
        Assert.Equal(200, reply.Status);
        Assert.Equal("application/sdp", reply["Content-Type"]);
        Assert.Equal(host.Url("site/door") + "/", reply["Content-Base"]);
        Assert.Contains("a=control:trackID=0", reply.Body);
        Assert.Contains("a=rtpmap:96 H264/90000", reply.Body);
        Assert.Contains("sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", reply.Body);
        Assert.DoesNotContain("streamid", reply.Body);
    }

    [Fact]
    public async Task Frames_on_unknown_channels_and_truncated_rtp_are_dropped_without_closing_anything()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await publisher.SendInterleavedAsync(9, [1, 2, 3]);
        await publisher.SendInterleavedAsync(0, [0x80, 96, 0]);
        byte[] lying = TestMedia.Rtp(1, 1, 0x65, 1);
        lying[0] = 0x8F; // claims 15 CSRCs the packet does not have
        await publisher.SendInterleavedAsync(0, lying);
        Assert.Equal(200, (await publisher.RequestAsync("GET_PARAMETER", host.Url("cam1"))).Status);

        StreamRegistry registry = host.Services.GetRequiredServiceForTests<StreamRegistry>();
        Assert.True(registry.TryGet(TestServerIds.Id("cam1"), out MediaStream stream));
        Assert.Equal(2, stream.PacketsRejected);
    }

    [Fact]
    public async Task Readers_are_closed_when_their_publisher_leaves()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 1, 1000, tag: 1);
        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            await reader.ReadFrameAsync();
            await publisher.DisposeAsync();
            Assert.True(await reader.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        }

        await using RawRtspClient late = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(404, (await late.RequestAsync("DESCRIBE", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Teardown_ends_a_publication_and_the_path_can_be_published_again()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient first = await TestMedia.PublishAsync(host, "cam1");
        Assert.Equal(200, (await first.RequestAsync("TEARDOWN", host.Url("cam1"))).Status);
        await using RawRtspClient second = await TestMedia.PublishAsync(host, "cam1");
        Assert.Equal(200, (await second.RequestAsync("GET_PARAMETER", host.Url("cam1"))).Status);
    }

    [Fact]
    public async Task Silent_session_times_out()
    {
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:SessionTimeoutSeconds=1");
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await client.RequestAsync("SETUP", host.Url("cam1/trackID=0"),
            "Transport: RTP/AVP;unicast;client_port=40000-40001")).Status);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Set_parameter_with_unknown_parameters_is_451()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(451, (await client.RequestAsync("SET_PARAMETER", host.Url("x"), body: "barparam: barstuff", contentType: "text/parameters")).Status);
        Assert.Equal(200, (await client.RequestAsync("SET_PARAMETER", host.Url("x"))).Status);
        Assert.Equal(501, (await client.RequestAsync("FLY", host.Url("x"))).Status);
    }
}
