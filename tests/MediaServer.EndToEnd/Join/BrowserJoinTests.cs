using System.Globalization;
using System.Net;
using System.Text.Json;
using MediaServer.EndToEnd.Api;
using MediaServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MediaServer.EndToEnd.Join;

/// <summary>
/// Chromium on the player page joining the same busy stream as the RTSP join tests (8 Mbit/s,
/// 2 s into a 4 s GOP: about 2 MB cached): what it loses at join, as its own WebRTC statistics
/// count it, and how far behind live it plays once the cached frames are through.
/// </summary>
[Trait("Category", "EndToEnd")]
public class BrowserJoinTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Records every presented frame's metadata from the first one on: when its last packet came
    /// in (receiveTime) and when the browser meant to show it (expectedDisplayTime). Installed
    /// before the page's own script so no frame is missed.
    /// </summary>
    private const string FrameRecorder = """
        window.joinFrames = [];
        document.addEventListener("DOMContentLoaded", () => {
          const video = document.getElementById("video");
          const onFrame = (now, meta) => {
            window.joinFrames.push({ received: meta.receiveTime ?? -1, shown: meta.expectedDisplayTime, rtp: meta.rtpTimestamp ?? -1 });
            video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
        });
        """;

    private const string VideoStats = """
        async () => {
          let result = null;
          (await window.player.peer.getStats()).forEach(s => {
            if (s.type === "inbound-rtp" && s.kind === "video") {
              result = { lost: s.packetsLost, received: s.packetsReceived, nacks: s.nackCount,
                         decoded: s.framesDecoded, dropped: s.framesDropped ?? 0, freezes: s.freezeCount ?? 0 };
            }
          });
          return JSON.stringify(result);
        }
        """;

    [Fact]
    public async Task Chromium_joining_a_busy_stream_mid_gop_loses_nothing_and_plays_at_the_live_edge()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "busy", await Clips.H264Busy8MbitAsync());
        await camera.WaitUntilSentAsync(50, Deadline);

        await using WebViewer viewer = await WebViewer.OpenAsync(chromium.Browser, host, "busy",
            page => page.AddInitScriptAsync(FrameRecorder));

        // The replayed GOP (about 50 frames) and 2 s of live frames after it.
        await viewer.WaitForAsync("() => window.joinFrames.length >= 100", Deadline, "100 presented frames");
        JsonElement stats = JsonDocument.Parse(await viewer.Page.EvaluateAsync<string>(VideoStats)).RootElement;
        using var api = new ApiClient(host);
        JsonElement session = Assert.Single(await api.SessionsAsync("busy", "webrtc"));
        int browserPort = IPEndPoint.Parse(session.GetProperty("remoteAddress").GetString()!).Port;
        long socketDrops = UdpSocketDrops(browserPort);
        long replays = session.GetProperty("keyframeRequests").GetProperty("replayed").GetInt64();
        JsonElement frames = JsonDocument.Parse(
            await viewer.Page.EvaluateAsync<string>("() => JSON.stringify(window.joinFrames)")).RootElement;

        // Live frames are the last 25 presented (1 s): by then the replay is long through. Their
        // lag to live is how long after their last packet arrived the browser shows them; the
        // server forwards a live frame as it comes, so this is the viewer's distance from live.
        double[] lags = frames.EnumerateArray().TakeLast(25)
            .Where(f => f.GetProperty("received").GetDouble() > 0)
            .Select(f => f.GetProperty("shown").GetDouble() - f.GetProperty("received").GetDouble())
            .Order()
            .ToArray();
        long lost = stats.GetProperty("lost").GetInt64();
        output.WriteLine($"chromium join: {socketDrops} datagrams dropped by its socket, GOP replays for PLIs {replays}, lost {lost} of {stats.GetProperty("received").GetInt64()} received, " +
            $"NACKs sent {stats.GetProperty("nacks").GetInt64()}, frames decoded {stats.GetProperty("decoded").GetInt64()}, " +
            $"dropped {stats.GetProperty("dropped").GetInt64()}, freezes {stats.GetProperty("freezes").GetInt64()}, " +
            $"lag to live median {(lags.Length > 0 ? lags[lags.Length / 2] : double.NaN):F0} ms (of {lags.Length} live frames)");

        Assert.True(lags.Length >= 10, "Chromium reported no receive time for the live frames");
        // Chromium counts as lost only gaps after the first packet it got, and a lost keyframe
        // makes it ask for another (a second GOP replay): the socket's own drop count is the truth.
        Assert.True(socketDrops == 0, $"Chromium's socket dropped {socketDrops} datagrams at join");
        Assert.True(lost == 0, $"Chromium lost {lost} packets at join (after NACKs)");
        Assert.True(replays == 0, $"Chromium needed {replays} more GOP replays");
        Assert.True(lags[lags.Length / 2] < 400, $"live frames are shown {lags[lags.Length / 2]:F0} ms after they arrive");
        Assert.Equal(0, host.IsolationViolations);
    }

    /// <summary>The kernel's count of datagrams dropped by the UDP socket bound to <paramref name="port"/> (receive buffer full).</summary>
    private static long UdpSocketDrops(int port)
    {
        string hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string line in File.ReadLines("/proc/net/udp").Skip(1).Concat(File.ReadLines("/proc/net/udp6").Skip(1)))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 12 && fields[1].EndsWith(hexPort, StringComparison.Ordinal))
            {
                return long.Parse(fields[^1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no UDP socket on port {port}: the browser's socket should still be open");
    }
}
