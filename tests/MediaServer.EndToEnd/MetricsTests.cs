using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Media.Rtcp;
using MediaServer.Testing.WebRtc;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd;

/// <summary>
/// /metrics scraped and parsed while a camera publishes to one RTSP reader and one WHEP reader.
/// Metrics are process-wide and other tests run at the same time, so per-path series are read
/// for a path only this test uses, and shared series (latency, set-up time) only for growth.
/// </summary>
[Trait("Category", "EndToEnd")]
public class MetricsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Series_move_while_a_stream_is_published_and_read_over_rtsp_and_webrtc()
    {
        string path = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        (string, string) onPath = ("path", path);
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient();
        MetricsScrape before = await MetricsScrape.GetAsync(http, host.HttpPort);

        await using Camera camera = await Camera.StartAsync(host, path, await Clips.H264Gop4sAsync());
        await using FfmpegProcess player = Player.Start(host, path, "tcp", "-c", "copy", "-f", "null", "-");
        await using WhepClient whep = await WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep"), Deadline);

        MetricsScrape first = before;
        Assert.True(
            await Eventually.TrueAsync(() =>
            {
                first = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
                return first.Value("mediaserver_readers", onPath, ("transport", "rtsp_tcp")) == 1 &&
                    first.Value("mediaserver_readers", onPath, ("transport", "webrtc")) == 1 &&
                    first.Value("mediaserver_egress_bytes_total", onPath, ("transport", "rtsp_tcp")) > 0 &&
                    first.Value("mediaserver_egress_bytes_total", onPath, ("transport", "webrtc")) > 0;
            }, Deadline),
            "readers never showed up with traffic: " + Series(first, path));
        Assert.Equal(1, first.Value("mediaserver_publishers", onPath, ("protocol", "rtsp")));
        Assert.Equal(0, first.Value("mediaserver_readers", onPath, ("transport", "rtsp_udp")));

        // Feedback from the WHEP reader: a receiver report about its video, a PLI and a NACK.
        uint videoSsrc = whep.Answer.Split('\n').Where(l => l.StartsWith("a=ssrc:", StringComparison.Ordinal))
            .Select(l => uint.Parse(l["a=ssrc:".Length..l.IndexOf(' ')])).First();
        whep.SendReceiverReport(new RtcpReportBlock(videoSsrc, 26, 7, 1000, 900, 0, 0));
        whep.SendPictureLoss(videoSsrc);
        whep.SendNack(videoSsrc, [1, 2]);

        MetricsScrape later = first;
        Assert.True(
            await Eventually.TrueAsync(() =>
            {
                later = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
                return Grew(first, later, "mediaserver_ingest_bytes_total", onPath) &&
                    Grew(first, later, "mediaserver_ingest_packets_total", onPath) &&
                    Grew(first, later, "mediaserver_egress_bytes_total", onPath, ("transport", "rtsp_tcp")) &&
                    Grew(first, later, "mediaserver_egress_bytes_total", onPath, ("transport", "webrtc")) &&
                    Grew(first, later, "mediaserver_egress_latency_seconds_count", ("transport", "rtsp_tcp")) &&
                    Grew(first, later, "mediaserver_egress_latency_seconds_count", ("transport", "webrtc")) &&
                    later.Value("mediaserver_rtcp_receiver_reports_total", onPath, ("transport", "webrtc")) >= 1 &&
                    later.Value("mediaserver_plis_received_total", onPath, ("transport", "webrtc")) >= 1 &&
                    later.Value("mediaserver_nacks_received_total", onPath, ("transport", "webrtc")) >= 2;
            }, Deadline),
            "series did not move: " + Series(later, path));

        Assert.True(Grew(before, later, "mediaserver_session_setup_seconds_count", ("kind", "rtsp_record")));
        Assert.True(Grew(before, later, "mediaserver_session_setup_seconds_count", ("kind", "rtsp_play")));
        Assert.True(Grew(before, later, "mediaserver_session_setup_seconds_count", ("kind", "whep")));
        Assert.True(Grew(before, later, "mediaserver_rtcp_fraction_lost_count", ("transport", "webrtc")));

        // The latency of live packets on loopback: well under the catch-up threshold that
        // separates them from cached replays (the histogram's sum over its count).
        double latencyCount = later.Value("mediaserver_egress_latency_seconds_count", ("transport", "webrtc"));
        double latencySum = later.Value("mediaserver_egress_latency_seconds_sum", ("transport", "webrtc"));
        Assert.InRange(latencySum / latencyCount, 0, 0.15);

        // .NET runtime and process series from prometheus-net's default collectors.
        Assert.True(later.Has("process_cpu_seconds_total"), "no process CPU series");
        Assert.True(later.Has("dotnet_collection_count_total"), "no GC series");
        Assert.True(later.Has("dotnet_total_memory_bytes"), "no managed memory series");
        Assert.Equal(0, later.Value("mediaserver_isolation_violations_total"));
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Readers_gauge_drops_and_traffic_counters_keep_their_totals_when_readers_leave()
    {
        string path = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        (string, string) onPath = ("path", path);
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient();
        await using Camera camera = await Camera.StartAsync(host, path, await Clips.H264Gop4sAsync());
        MetricsScrape reading = await MetricsScrape.GetAsync(http, host.HttpPort);
        await using (WhepClient whep = await WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep"), Deadline))
        {
            Assert.True(
                await Eventually.TrueAsync(() =>
                {
                    reading = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
                    return reading.Value("mediaserver_egress_packets_total", onPath, ("transport", "webrtc")) > 0;
                }, Deadline),
                "the WHEP reader never got packets: " + Series(reading, path));
        }

        MetricsScrape left = reading;
        Assert.True(
            await Eventually.TrueAsync(() =>
            {
                left = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
                return left.Value("mediaserver_readers", onPath, ("transport", "webrtc")) == 0;
            }, Deadline),
            "the reader never left the gauge: " + Series(left, path));
        Assert.True(
            left.Value("mediaserver_egress_packets_total", onPath, ("transport", "webrtc")) >=
            reading.Value("mediaserver_egress_packets_total", onPath, ("transport", "webrtc")),
            "a retired session's packets were lost from the counter");
    }

    [Fact]
    public async Task A_metrics_port_serves_only_metrics_and_the_main_listener_no_longer_does()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Metrics:Port=0", "--Metrics:Address=127.0.0.1");
        using var http = new HttpClient();
        Assert.NotEqual(0, host.MetricsPort);

        MetricsScrape scrape = await MetricsScrape.GetAsync(http, host.MetricsPort);
        Assert.True(scrape.Has("mediaserver_isolation_violations_total"));

        using HttpResponseMessage onMain = await http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/metrics"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onMain.StatusCode);
        using HttpResponseMessage apiOnMetrics = await http.GetAsync(new Uri($"http://127.0.0.1:{host.MetricsPort}/v1/paths"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, apiOnMetrics.StatusCode);
    }

    [Fact]
    public async Task Datagrams_from_unknown_sources_and_refused_checks_are_scraped()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient();
        MetricsScrape before = await MetricsScrape.GetAsync(http, host.HttpPort);
        using var stranger = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var rtspUdp = host.Services.GetRequiredService<MediaServer.Rtsp.Server.RtspUdpTransport>();
        byte[] rtp = [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x65];
        await stranger.SendAsync(rtp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, rtspUdp.RtpPort));
        await stranger.SendAsync(rtp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, rtspUdp.RtcpPort));
        await stranger.SendAsync(rtp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, host.WebRtcPort));
        byte[] check = new byte[256];
        int length = MediaServer.Testing.Stun.StunRequestWriter.WriteBindingRequest(check, new byte[12], "nosuchufrag:x"u8.ToArray(),
            "a-password-nobody-has-here"u8.ToArray(), 1, 1, controlling: true, useCandidate: true);
        await stranger.SendAsync(check.AsMemory(0, length), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, host.WebRtcPort));

        MetricsScrape after = before;
        Assert.True(
            await Eventually.TrueAsync(() =>
            {
                after = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
                return Grew(before, after, "mediaserver_udp_unknown_source_datagrams_total", ("socket", "rtsp_rtp")) &&
                    Grew(before, after, "mediaserver_udp_unknown_source_datagrams_total", ("socket", "rtsp_rtcp")) &&
                    Grew(before, after, "mediaserver_udp_unknown_source_datagrams_total", ("socket", "webrtc")) &&
                    Grew(before, after, "mediaserver_stun_rejected_checks_total");
            }, Deadline),
            "unknown-source and rejected-check series did not move:\n" +
            string.Join('\n', after.Text.Split('\n').Where(l => l.Contains("unknown_source", StringComparison.Ordinal) || l.Contains("rejected", StringComparison.Ordinal))));
        Assert.True(after.Has("mediaserver_attribution_conflicts_total"), "no attribution conflict series");
    }

    private static bool Grew(MetricsScrape before, MetricsScrape after, string name, params (string, string)[] labels) =>
        after.Value(name, labels) > before.Value(name, labels);

    private static string Series(MetricsScrape scrape, string path) =>
        string.Join('\n', scrape.Text.Split('\n').Where(l => l.Contains(path, StringComparison.Ordinal) || l.StartsWith("mediaserver_egress_latency_seconds_count", StringComparison.Ordinal)));
}
