using System.Text.RegularExpressions;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>
/// A player joining mid-GOP starts from the segment cache. Without it, the first frame it could
/// decode would be the camera's next keyframe; with it, the first decoded frame is the cached
/// keyframe and a GOP's worth of frames is decoded before the camera's next keyframe arrives.
/// </summary>
public partial class InstantStartTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Player_joining_mid_gop_decodes_from_the_cached_keyframe(string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());

        // Join well inside the 4 s GOP (setup, not an assertion: the checks below count frames).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", readOver,
            "-frames:v", "130", "-vf", "showinfo", "-f", "null", "-");

        List<bool> keyframes = ShowinfoFrame().Matches(player.Stderr).Select(m => m.Groups[1].Value == "1").ToList();
        Assert.True(keyframes.Count >= 100, $"decoded only {keyframes.Count} frames: {player.Stderr}");
        Assert.True(keyframes[0], "the first decoded frame should be the cached keyframe");
        int secondKeyframe = keyframes.IndexOf(true, 1);
        Assert.True(secondKeyframe < 0 || secondKeyframe >= 40,
            $"only {secondKeyframe} frames decoded before the camera's next keyframe");
        Assert.Equal(0, host.IsolationViolations);
    }

    [GeneratedRegex(@"\] n:\s*\d+ .*? iskey:(\d)")]
    private static partial Regex ShowinfoFrame();
}
