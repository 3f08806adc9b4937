using System.Text.RegularExpressions;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>
/// A player joining mid-GOP starts from the segment cache. The camera's GOPs are red, green and
/// blue, 4 s each; a player joining during the red GOP decodes red first only if the server gave
/// it the cached red keyframe. Without the cache its first decodable frame would be the camera's
/// next keyframe, which is green.
/// </summary>
public partial class InstantStartTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Player_joining_mid_gop_first_decodes_the_gop_in_progress(string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.ColouredGopsAsync());

        // Join well inside the first (red) GOP: setup, not an assertion.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        (double r, double g, double b) = await Pixels.FirstFrameColourAsync(host, "cam1", readOver);

        Assert.True(r > 180 && g < 70 && b < 70, $"the first decoded frame should be the cached red GOP, got ({r:F0},{g:F0},{b:F0})");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task First_decoded_frame_of_a_late_joiner_is_a_keyframe_and_a_whole_gop_follows()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "tcp",
            "-frames:v", "130", "-vf", "showinfo", "-f", "null", "-");

        List<bool> keyframes = ShowinfoFrame().Matches(player.Stderr).Select(m => m.Groups[1].Value == "1").ToList();
        Assert.True(keyframes.Count >= 100, $"decoded only {keyframes.Count} frames: {player.Stderr}");
        Assert.True(keyframes[0], "the first decoded frame should be a keyframe: nothing mid-GOP, no broken frames");
        Assert.Equal(100, keyframes.IndexOf(true, 1)); // the GOP arrived whole, no frame lost between
        Assert.Equal(0, host.IsolationViolations);
    }

    [GeneratedRegex(@"\] n:\s*\d+ .*? iskey:(\d)")]
    private static partial Regex ShowinfoFrame();
}
