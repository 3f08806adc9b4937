namespace MediaServer.LoadGenerator.Tests;

/// <summary>
/// The generator as a user runs it: it starts the real server as its own process, publishes a
/// camera and reads it over all three transports, then reports. Short, so it proves the wiring
/// (every transport connects, packets flow, stamps are read, nothing is lost), not performance.
/// </summary>
public class LoadRunTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the server with Transport:InlineScheduling relays the same
    public async Task One_camera_read_over_rtsp_tcp_rtsp_udp_and_webrtc_reports_every_figure(bool inlineScheduling)
    {
        LoadOptions options = LoadOptions.Parse(
        [
            "--cameras", "1", "--readers", "3", "--transport", "rtsp-tcp,rtsp-udp,webrtc",
            "--bitrate", "1000", "--gop", "1", "--warmup", "1", "--duration", "3",
            "--server-setting", $"Transport:InlineScheduling={inlineScheduling}",
        ]);

        LoadReport report = await new LoadRun(options).RunAsync(CancellationToken.None);

        Assert.Equal(3, report.ReadersConnected);
        Assert.Equal(0, report.ReaderConnectFailures);
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.IsolationViolations);
        Assert.True(report.IngestPacketsPerSecond > 50, report.ToTable());

        // Every reader gets every packet (WebRTC adds parameter sets before keyframes).
        Assert.InRange(report.ForwardedPacketsPerSecond, 2.7 * report.IngestPacketsPerSecond, 3.5 * report.IngestPacketsPerSecond);
        Assert.Equal(0, report.PacketsLost);
        Assert.True(report.LatencySamples > 100, report.ToTable());
        Assert.True(report.LatencyP50Microseconds > 0 && report.LatencyP99Microseconds >= report.LatencyP50Microseconds, report.ToTable());
        Assert.True(report.FloorP50Microseconds > 0, report.ToTable());
        Assert.True(report.PredictedFrameLatencyP50Microseconds > 0, report.ToTable());
        Assert.True(report.ServerCpuCores > 0 && report.ServerRssBytes > 10 << 20, report.ToTable());
        Assert.Contains("\"ForwardedPacketsPerSecond\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_option_named()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--transport", "rtmp"]));
        Assert.Contains("rtmp", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--cameras", "0"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--frobnicate"]));
        Assert.Contains("relay", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--camera-mode", "relay"])).Message, StringComparison.Ordinal);
        Assert.Contains("http", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--camera-mode", "pull", "--source-transport", "http"])).Message, StringComparison.Ordinal);
        Assert.Contains("--camera-mode pull", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--source-transport", "udp"])).Message, StringComparison.Ordinal);
        Assert.Contains("--camera-mode pull", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--source-on-demand"])).Message, StringComparison.Ordinal);
        Assert.Contains("--readers", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--camera-mode", "pull", "--source-on-demand", "--readers", "0"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cameras_push_unless_pull_is_asked_for_and_the_server_pulls_over_tcp_unless_told_otherwise()
    {
        Assert.False(LoadOptions.Parse([]).PullsCameras);
        LoadOptions pull = LoadOptions.Parse(["--camera-mode", "pull"]);
        Assert.True(pull.PullsCameras);
        Assert.Equal("tcp", pull.SourceTransport);
        Assert.Equal("automatic", LoadOptions.Parse(["--camera-mode", "pull", "--source-transport", "automatic"]).SourceTransport);
    }

    [Fact]
    public async Task Pulled_cameras_read_over_rtsp_tcp_rtsp_udp_and_webrtc_report_every_figure()
    {
        LoadOptions options = LoadOptions.Parse(
        [
            "--cameras", "2", "--camera-mode", "pull", "--readers", "3", "--transport", "rtsp-tcp,rtsp-udp,webrtc",
            "--bitrate", "1000", "--gop", "1", "--warmup", "1", "--duration", "3",
        ]);

        LoadReport report = await new LoadRun(options).RunAsync(CancellationToken.None);

        Assert.Equal("pull", report.CameraMode);
        Assert.Equal(2, report.CameraPlays); // each camera pulled once, never reconnected
        Assert.Equal(6, report.ReadersConnected);
        Assert.Equal(0, report.ReaderConnectFailures);
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.IsolationViolations);
        Assert.True(report.IngestPacketsPerSecond > 100, report.ToTable());
        Assert.InRange(report.ForwardedPacketsPerSecond, 2.7 * report.IngestPacketsPerSecond, 3.5 * report.IngestPacketsPerSecond);
        Assert.Equal(0, report.PacketsLost);
        Assert.True(report.LatencySamples > 100, report.ToTable());
        Assert.Contains("pulled", report.ToTable(), StringComparison.Ordinal);
    }
}
