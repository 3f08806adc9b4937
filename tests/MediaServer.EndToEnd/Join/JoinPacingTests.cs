using System.Text.Json;
using MediaServer.EndToEnd.Api;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Join;

/// <summary>
/// A player joining a busy stream mid-GOP over UDP gets the cached GOP (megabytes) paced to what its
/// socket takes, so it loses nothing at join. Measured by the real clients with their default
/// settings: ffmpeg's RTP demuxer and GStreamer's jitter buffers count the packets they miss.
/// </summary>
[Trait("Category", "EndToEnd")]
public class JoinPacingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Frames the players decode: the whole replay of a 2 s-old GOP and some live frames after it.</summary>
    private const int Frames = 100;

    /// <summary>
    /// Joins 2 s into a 4 s GOP of an 8 Mbit/s camera: about 2 MB cached. Sent at once, ffmpeg's
    /// 64 KiB socket buffer (128 KiB as the kernel counts it) loses about a third of it.
    /// </summary>
    [Fact]
    public async Task Ffmpeg_over_udp_joining_a_busy_stream_mid_gop_misses_no_packet()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "busy", await Clips.H264Busy8MbitAsync());
        await camera.WaitUntilSentAsync(50, Deadline);

        await using FfmpegProcess player = await Player.RunAsync(host, "busy", "udp", "-frames:v", Frames.ToString(), "-f", "null", "-");

        Assert.True(JoinFigures.FfmpegFramesDone(player.Stderr) >= Frames, "the player did not decode its frames: " + player.Stderr);
        int missed = JoinFigures.FfmpegMissedPackets(player.Stderr);
        Assert.True(missed == 0, $"ffmpeg missed {missed} packets at join");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Gstreamer_rtspsrc_joining_a_busy_stream_mid_gop_loses_no_packet()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "busy", await Clips.H264Busy8MbitAsync());
        await camera.WaitUntilSentAsync(50, Deadline);

        GstJoinResult result = await GstRtspReader.RunAsync(host, "busy", Frames, Deadline);

        Assert.True(result.Error is null, $"rtspsrc failed: {result.Error}");
        Assert.True(result.Frames >= Frames, $"rtspsrc decoded only {result.Frames} frames");
        Assert.True(result.Lost == 0, $"rtspsrc lost {result.Lost} of {result.Pushed + result.Lost} packets at join");
        Assert.Equal(0, host.IsolationViolations);
    }

    /// <summary>
    /// What the server can know of a join: the lag it gave the reader, and what the player's own
    /// receiver reports say it lost since it started, join included (the running loss total leaves
    /// out what came before the first report). The replay is unpaced here on purpose, so ffmpeg
    /// loses packets at join as it did before pacing, and the server must show them.
    /// </summary>
    [Fact]
    public async Task A_flooded_udp_readers_session_shows_its_join_lag_and_the_losses_its_receiver_reports_count()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Rtsp:JoinReplayBytesPerSecond=1000000000", "--Rtsp:JoinReplayBurstBytes=16777216");
        await using Camera camera = await Camera.StartAsync(host, "busy", await Clips.H264Busy8MbitAsync());
        await camera.WaitUntilSentAsync(50, Deadline);
        using var api = new ApiClient(host);
        await using FfmpegProcess player = Player.Start(host, "busy", "udp", "-f", "null", "-");

        JsonElement reader = default;
        DateTime giveUp = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < giveUp && !(HasNumber(reader, "joinLagMs") && HasNumber(reader, "reportedPacketsLost") &&
            reader.GetProperty("reportedPacketsLost").GetInt64() > 0))
        {
            await Task.Delay(100);
            JsonElement[] sessions = await api.SessionsAsync("busy", "rtsp");
            reader = sessions.FirstOrDefault(s => s.GetProperty("mode").GetString() == "read");
        }

        Assert.True(HasNumber(reader, "reportedPacketsLost") && reader.GetProperty("reportedPacketsLost").GetInt64() > 0,
            $"ffmpeg missed {JoinFigures.FfmpegMissedPackets(player.Stderr)} packets, but its session never showed a loss: {reader}");
        Assert.Equal("catchup", reader.GetProperty("joinMode").GetString());
        Assert.True(HasNumber(reader, "joinLagMs"), $"no lag to live in {reader}");
        Assert.Equal(0, host.IsolationViolations);
    }

    private static bool HasNumber(JsonElement session, string property) =>
        session.ValueKind == JsonValueKind.Object && session.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.Number;
}
