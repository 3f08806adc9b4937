using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Join;

/// <summary>
/// How a player joining mid-GOP starts, per <c>Rtsp:JoinMode</c>, measured from the player's side:
/// each decoded frame's stream timestamp against the wall clock it was decoded at. A player that
/// presents by timestamp shows a live frame as late as its timeline trails the camera's.
/// </summary>
[Trait("Category", "EndToEnd")]
public class JoinModeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Frames decoded from this long after the first on are live in every mode.</summary>
    private const double LiveAfterSeconds = 2.5;

    /// <summary>
    /// Joined 2.4 s or more into a 4 s GOP: with the GOP's own timestamps (today) the player stays
    /// that far behind; caught up, it shows live frames within a few frame times. The wall clock is
    /// when ffmpeg decoded a frame, not when it arrived: a player whose decoding runs late on a
    /// loaded machine looks that much less behind, hence the margins. Caught up, a player starved of
    /// CPU while it decodes the replay still trails by what it could not decode in time (0.7 s once
    /// with the whole suite running beside it); without catch-up it trails by the GOP's age, 2.4 s.
    /// </summary>
    [Fact]
    public async Task Catchup_player_joining_mid_gop_starts_at_the_cached_keyframe_and_is_at_the_live_edge()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        (List<TimedFrame> frames, List<DecodedFrame> decoded) = await JoinAsync(host);

        Assert.True(decoded[0].IsKey, "the first decoded frame should be the cached keyframe");
        double lag = JoinFigures.Median(JoinFigures.LagsToLive(frames, LiveAfterSeconds));
        Assert.True(lag < 1.0, $"the player shows live frames {lag:F2} s late after a catch-up join");
    }

    [Fact]
    public async Task Gop_player_joining_mid_gop_keeps_the_gops_timing_and_stays_behind_live()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Rtsp:JoinMode=gop");
        (List<TimedFrame> frames, List<DecodedFrame> decoded) = await JoinAsync(host);

        Assert.True(decoded[0].IsKey, "the first decoded frame should be the cached keyframe");
        double lag = JoinFigures.Median(JoinFigures.LagsToLive(frames, LiveAfterSeconds));
        Assert.True(lag > 1.2, $"a gop join replays the GOP in real time, so live frames should be over 1.2 s late, got {lag:F2} s");
    }

    /// <summary>The coloured clip's GOPs are red then green: joined during red, the first picture is green.</summary>
    [Fact]
    public async Task Keyframe_player_joining_mid_gop_first_decodes_the_next_live_keyframe()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Rtsp:JoinMode=keyframe");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.ColouredGopsAsync());
        await camera.WaitUntilSentAsync(25, Deadline);

        (double r, double g, double b) = await Pixels.FirstFrameColourAsync(host, "cam1", "udp");

        // The next GOP's (green), or the one after (blue) when the player connected late under load; never the cached red.
        Assert.True(r < 70 && (g > 90 || b > 90), $"the first decoded frame should be a live keyframe (green, or blue), got ({r:F0},{g:F0},{b:F0})");
        Assert.Equal(0, host.IsolationViolations);
    }

    /// <summary>A path rule's join mode overrides <c>Rtsp:JoinMode</c> for that path only.</summary>
    [Fact]
    public async Task A_path_rule_sets_the_join_mode_of_its_path()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Paths:0:Name=cam1", "--Paths:0:JoinMode=keyframe", "--Paths:1:Name=~^.+$");
        await using (Camera other = await Camera.StartAsync(host, "cam2", await Clips.ColouredGopsAsync()))
        {
            await other.WaitUntilSentAsync(25, Deadline);
            (double r2, double g2, double b2) = await Pixels.FirstFrameColourAsync(host, "cam2", "udp");
            Assert.True(r2 > 180 && g2 < 70 && b2 < 70, $"cam2 follows Rtsp:JoinMode (catchup): the first frame should be the cached red one, got ({r2:F0},{g2:F0},{b2:F0})");
        }

        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.ColouredGopsAsync());
        await camera.WaitUntilSentAsync(25, Deadline);
        (double r, double g, double b) = await Pixels.FirstFrameColourAsync(host, "cam1", "udp");
        // A live keyframe: the next GOP's (green), or the one after (blue) when the player connected late under load; never the cached red.
        Assert.True(r < 70 && (g > 90 || b > 90), $"cam1's rule says keyframe: the first frame should be a live keyframe (green, or blue), got ({r:F0},{g:F0},{b:F0})");
    }

    private static async Task<(List<TimedFrame> Frames, List<DecodedFrame> Decoded)> JoinAsync(MediaServerHost host)
    {
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());

        // 2.4 s into the first 4 s GOP, with time to connect before the next keyframe.
        await camera.WaitUntilSentAsync(60, Deadline);
        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "udp",
            "-frames:v", "250", "-vf", JoinFigures.TimedShowinfo, "-f", "null", "-");

        List<TimedFrame> frames = JoinFigures.TimedFrames(player.Stderr);
        Assert.True(frames.Count >= 250, $"decoded only {frames.Count} frames: {player.Stderr}");
        List<DecodedFrame> decoded = Showinfo.Frames(player.Stderr);
        Assert.Equal(0, host.IsolationViolations);
        return (frames, decoded);
    }
}
