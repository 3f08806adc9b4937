using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.EndToEnd.Operations;
using Xunit.Abstractions;

namespace MediaServer.EndToEnd.Sources;

/// <summary>
/// Cameras that are RTSP servers (GStreamer's, nobody's here) pulled by the server and read by
/// ffmpeg: their colours, their URLs' identity, on demand, and the faults real cameras have.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PulledSourceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("tcp", null, "tcp", "tcp")]
    [InlineData("udp", "digest", "udp", "tcp")]
    [InlineData("automatic", "basic", "udp", "udp")]
    public async Task Pulled_camera_is_read_over_rtsp_in_its_own_colour(string sourceTransport, string? auth, string expectedTransport, string readerTransport)
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(
            colour: "00ff00", user: auth is null ? null : "viewer", password: auth is null ? null : "s3cret", auth: auth ?? "digest");
        string url = auth is null ? camera.Url : camera.UrlWith("viewer", "s3cret");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=garden", $"--Paths:0:Source={url}", $"--Paths:0:SourceTransport={sourceTransport}");
        using var api = new SourceApi(host);
        await api.WaitForStateAsync("garden", "ready");

        (double r, double g, double b) = await Pixels.FirstFrameColourAsync(host, "garden", readerTransport);

        Assert.True(g > 200 && r < 60 && b < 60, $"expected the camera's green, decoded ({r:F0}, {g:F0}, {b:F0})");
        JsonElement source = (await api.SourceAsync("garden"))!.Value;
        Assert.Equal(expectedTransport, source.GetProperty("transport").GetString());
        Assert.DoesNotContain("s3cret", source.GetProperty("url").GetString(), StringComparison.Ordinal);
        string metrics = await api.MetricsAsync();
        Assert.Contains("mediaserver_source_connects_total{path=\"garden\"}", metrics, StringComparison.Ordinal);
        Assert.Matches("mediaserver_source_received_bytes_total\\{path=\"garden\"\\} [1-9]", metrics);
        Assert.Contains("mediaserver_publishers{path=\"garden\",protocol=\"rtsp-source\"} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Cameras_on_different_ports_show_their_own_colours_and_only_paths_with_the_identical_url_share_a_camera_connection()
    {
        await using GstRtspCamera red = await GstRtspCamera.StartAsync(colour: "ff0000");
        await using GstRtspCamera blue = await GstRtspCamera.StartAsync(colour: "0000ff");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=red1", $"--Paths:0:Source={red.Url}", "--Paths:0:SourceTransport=tcp",
            "--Paths:1:Name=red2", $"--Paths:1:Source={red.Url}", "--Paths:1:SourceTransport=tcp",
            "--Paths:2:Name=blue", $"--Paths:2:Source={blue.Url}", "--Paths:2:SourceTransport=tcp",
            "--Paths:3:Name=redquery", $"--Paths:3:Source={red.Url}?channel=2", "--Paths:3:SourceTransport=tcp");
        using var api = new SourceApi(host);
        foreach (string path in (string[])["red1", "red2", "blue", "redquery"])
        {
            await api.WaitForStateAsync(path, "ready");
        }

        (double r1, _, double b1) = await Pixels.FirstFrameColourAsync(host, "red1", "tcp");
        (double r2, _, double b2) = await Pixels.FirstFrameColourAsync(host, "red2", "tcp");
        (double r3, _, double b3) = await Pixels.FirstFrameColourAsync(host, "blue", "tcp");

        Assert.True(r1 > 200 && b1 < 60, $"red1 decoded red {r1:F0}, blue {b1:F0}");
        Assert.True(r2 > 200 && b2 < 60, $"red2 decoded red {r2:F0}, blue {b2:F0}");
        Assert.True(b3 > 200 && r3 < 60, $"blue decoded red {r3:F0}, blue {b3:F0}");

        // red1 and red2 name the identical URL: one connection. The URL with a query is another
        // source (this camera ignores the query; a proxy that did too would show one camera as another).
        // The cameras' counts come from their output lines, read a moment after the fact.
        Assert.True(await Eventually.TrueAsync(() => red.ConnectionsOpen == 2 && blue.ConnectionsOpen == 1, Deadline),
            $"the red camera has {red.ConnectionsOpen} connections open, the blue one {blue.ConnectionsOpen}");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task On_demand_camera_is_connected_for_the_first_reader_and_closed_after_the_last_one_leaves()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(colour: "ff0000");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=porch", $"--Paths:0:Source={camera.Url}", "--Paths:0:SourceOnDemand=true",
            "--Paths:0:SourceOnDemandCloseAfterSeconds=1", "--Paths:0:SourceTransport=tcp");
        using var api = new SourceApi(host);
        Assert.Equal("idle", await api.StateAsync("porch"));
        Assert.Equal(0, camera.ConnectionsOpened);

        var clock = Stopwatch.StartNew();
        (double r, _, double b) = await Pixels.FirstFrameColourAsync(host, "porch", "tcp");
        output.WriteLine($"On-demand start: the first frame decoded {clock.ElapsedMilliseconds} ms after ffmpeg started (ffmpeg's own start included)");

        Assert.True(r > 200 && b < 60, $"expected red, decoded red {r:F0}, blue {b:F0}");
        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpened == 1, Deadline), $"the camera counted {camera.ConnectionsOpened} connections");
        await api.WaitForStateAsync("porch", "idle");
        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpen == 0, Deadline),
            $"the camera still has {camera.ConnectionsOpen} connection(s) open after the last reader left");
    }

    [Fact]
    public async Task Camera_killed_and_restarted_recovers_and_a_new_reader_starts_at_a_keyframe()
    {
        GstRtspCamera camera = await GstRtspCamera.StartAsync(colour: "ff0000");
        int port = camera.Port;
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=yard", $"--Paths:0:Source={camera.Url}", "--Paths:0:SourceTransport=tcp",
            "--Sources:RetryMinSeconds=0.2", "--Sources:RetryMaxSeconds=1");
        using var api = new SourceApi(host);
        await api.WaitForStateAsync("yard", "ready");

        await camera.StopAsync();
        await api.WaitForStateAsync("yard", "retrying");
        await using GstRtspCamera restarted = await GstRtspCamera.StartAsync(colour: "ff0000", port: port);
        await api.WaitForStateAsync("yard", "ready");

        await using FfmpegProcess player = await Player.RunAsync(host, "yard", "tcp", "-frames:v", "5", "-vf", "showinfo", "-f", "null", "-");
        List<DecodedFrame> frames = Showinfo.Frames(player.Stderr);
        Assert.True(frames.Count >= 5, "the reader decoded fewer than 5 frames: " + player.Stderr);
        Assert.True(frames[0].IsKey, "the reader's first frame after the recovery was not a keyframe");
    }

    [Fact]
    public async Task Camera_swapped_for_another_on_the_same_address_never_shows_the_old_camera_after_the_swap()
    {
        GstRtspCamera red = await GstRtspCamera.StartAsync(colour: "ff0000");
        int port = red.Port;
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=hall", $"--Paths:0:Source={red.Url}", "--Paths:0:SourceTransport=tcp",
            "--Sources:RetryMinSeconds=0.2", "--Sources:RetryMaxSeconds=1");
        using var api = new SourceApi(host);
        await api.WaitForStateAsync("hall", "ready");
        (double r0, _, _) = await Pixels.FirstFrameColourAsync(host, "hall", "tcp");
        Assert.True(r0 > 200, $"before the swap the path decoded red {r0:F0}");

        await red.StopAsync();
        await api.WaitForStateAsync("hall", "retrying");
        await using GstRtspCamera blue = await GstRtspCamera.StartAsync(colour: "0000ff", port: port);
        await api.WaitForStateAsync("hall", "ready");

        // Every frame of a reader that joins after the swap is the new camera's, the first one included.
        (double R, double G, double B)[] colours = await Pixels.FrameColoursAsync(host, "hall", "tcp", 10);
        for (int i = 0; i < colours.Length; i++)
        {
            Assert.True(colours[i].B > 200 && colours[i].R < 60, $"frame {i} after the swap decoded ({colours[i].R:F0}, {colours[i].G:F0}, {colours[i].B:F0}), not the new camera's blue");
        }

        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Camera_that_never_answers_times_out_and_is_retried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=mute", $"--Paths:0:Source=rtsp://127.0.0.1:{port}/cam", "--Paths:0:SourceTransport=tcp",
            "--Sources:RequestTimeoutSeconds=1", "--Sources:RetryMinSeconds=0.2", "--Sources:RetryMaxSeconds=0.5");
        using var api = new SourceApi(host);

        JsonElement source = await api.WaitForStateAsync("mute", "retrying");
        Assert.Equal("timeout", source.GetProperty("lastErrorReason").GetString());
        Assert.Equal(JsonValueKind.String, source.GetProperty("nextAttemptAt").ValueKind);
    }

    [Fact]
    public async Task Wrong_credentials_back_off_show_unauthorized_and_are_logged_once()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(user: "viewer", password: "s3cret");
        await using ServerProcess server = ServerProcess.Start(
            "--Paths:0:Name=gate", $"--Paths:0:Source={camera.UrlWith("viewer", "wrong-password")}", "--Paths:0:SourceTransport=tcp",
            "--Sources:RetryMinSeconds=0.2", "--Sources:RetryMaxSeconds=5");
        Assert.True(await server.WaitForOutputAsync("unauthorized", Deadline), server.Output);
        using var api = new SourceApi(server.HttpPort);

        var waits = new List<double>();
        int attempts = 0;
        DateTimeOffset? lastNext = null;
        using var timeout = new CancellationTokenSource(Deadline);
        while (attempts < 4)
        {
            JsonElement? source = await api.SourceAsync("gate");
            if (source is { } s && s.GetProperty("state").GetString() == "retrying" && s.GetProperty("failedAttempts").GetInt32() > attempts)
            {
                attempts = s.GetProperty("failedAttempts").GetInt32();
                DateTimeOffset next = s.GetProperty("nextAttemptAt").GetDateTimeOffset();
                if (lastNext is { } previous)
                {
                    waits.Add((next - previous).TotalSeconds);
                }

                lastNext = next;
                Assert.Equal("unauthorized", s.GetProperty("lastErrorReason").GetString());
            }

            await Task.Delay(50, timeout.Token);
        }

        // The waits between attempts grow (doubling, spread by ±20 %), and the state change was one line.
        Assert.True(waits.Count >= 2 && waits[^1] > waits[0], "the waits between attempts did not grow: " + string.Join(", ", waits.Select(w => w.ToString("F2", CultureInfo.InvariantCulture))));
        int lines = server.Output.Split('\n').Count(l => l.Contains("unauthorized", StringComparison.Ordinal));
        Assert.True(lines == 1, $"{lines} log lines for {attempts} failed attempts: {server.Output}");
        Assert.DoesNotContain("wrong-password", server.Output, StringComparison.Ordinal);
        Assert.Matches("mediaserver_source_failures_total\\{path=\"gate\",reason=\"unauthorized\"\\} [2-9]", await api.MetricsAsync());
    }

    [Fact]
    public async Task Path_rules_replaced_through_the_api_start_the_new_camera_and_a_bad_source_is_refused()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(colour: "00ff00");
        await using MediaServerHost host = await TestHost.StartAsync("--Paths:0:Name=~^.+$");
        using var api = new SourceApi(host);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };

        using HttpResponseMessage bad = await http.PutAsync("v1/config/paths", new StringContent(
            """[{"name":"~^cam(\\d+)$","source":"rtsp://nvr/ch$G1"}]""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("SourceOnDemand", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using HttpResponseMessage good = await http.PutAsync("v1/config/paths", new StringContent(
            $$"""[{"name":"lawn","source":"{{camera.Url}}","sourceTransport":"tcp"}]""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await api.WaitForStateAsync("lawn", "ready");
        (_, double g, _) = await Pixels.FirstFrameColourAsync(host, "lawn", "tcp");
        Assert.True(g > 200, $"the camera added through the API decoded green {g:F0}");
    }

    [Fact]
    public async Task A_client_cannot_publish_a_path_that_pulls_a_camera()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(colour: "ff0000");
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=cam", $"--Paths:0:Source={camera.Url}", "--Paths:0:SourceOnDemand=true");
        await using FfmpegProcess publisher = FfmpegProcess.Start(
            "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-t", "2", "-c:v", "libx264", "-f", "rtsp", "-rtsp_transport", "tcp",
            $"rtsp://127.0.0.1:{host.RtspPort}/cam");

        Assert.True(await publisher.WaitForExitAsync(Deadline), publisher.Stderr);
        Assert.NotEqual(0, publisher.ExitCode);
        Assert.Contains("400", publisher.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, camera.ConnectionsOpened);
    }
}
