using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>
/// A player joining mid-GOP starts at once from the server's segment cache (the current GOP from
/// its keyframe) instead of waiting for the camera's next keyframe. Proven by what the player
/// decoded, never by timing: the join point is set up by waiting until the camera has sent a
/// number of frames, and the player must then decode frames the camera sent before it connected.
/// </summary>
[Trait("Category", "EndToEnd")]
public class InstantStartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The camera's GOPs are red, green and blue, 4 s each. A player joining during the red GOP
    /// decodes red first only if the server gave it the cached red keyframe; without the cache its
    /// first decodable frame would be the camera's next keyframe, which is green.
    /// </summary>
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Player_joining_mid_gop_first_decodes_the_gop_in_progress(string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.ColouredGopsAsync());

        // Join 1 s into the first (red) GOP, with 3 s to spare before the green keyframe.
        await camera.WaitUntilSentAsync(25, Deadline);
        (double r, double g, double b) = await Pixels.FirstFrameColourAsync(host, "cam1", readOver);

        Assert.True(r > 180 && g < 70 && b < 70, $"the first decoded frame should be the cached red GOP, got ({r:F0},{g:F0},{b:F0})");
        Assert.Equal(0, host.IsolationViolations);
    }

    /// <summary>
    /// Every frame the late joiner decodes is identified by its checksum as one exact frame of the
    /// camera's clip. The first must be a keyframe the camera had already sent before the player
    /// started (so it came from the cache), and from there the player must decode the clip's frames
    /// in order, bit-exact, with the whole rest of the GOP before the next keyframe.
    /// </summary>
    [Fact]
    public async Task Late_joiner_decodes_the_cached_gop_from_its_keyframe_then_live_frames_bit_exact()
    {
        IReadOnlyList<DecodedFrame> clip = await Clips.H264Gop4sFramesAsync();
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());

        // Join mid-GOP: the camera has sent at least 40 frames (~1.6 s) of its first 4 s GOP.
        int sentBeforeJoin = await camera.WaitUntilSentAsync(40, Deadline);
        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "tcp",
            "-frames:v", "130", "-vf", "showinfo", "-f", "null", "-");

        List<DecodedFrame> frames = Showinfo.Frames(player.Stderr);
        Assert.True(frames.Count >= 130, $"decoded only {frames.Count} frames: {player.Stderr}");
        Assert.True(frames[0].IsKey, "the first decoded frame should be a keyframe: nothing mid-GOP, no broken frames");

        int first = IndexInClip(clip, frames[0]);
        Assert.True(first >= 0, "the first decoded frame is no frame of the camera's clip");
        Assert.Equal(0, first % Clips.H264Gop4sGop);
        Assert.True(first < sentBeforeJoin,
            $"the first decoded frame is clip frame {first}, but the camera had sent frames 0..{sentBeforeJoin - 1} before the " +
            "player started: a player that waited for the camera's next keyframe instead of getting the cached GOP");

        for (int i = 0; i < frames.Count; i++)
        {
            DecodedFrame expected = clip[(first + i) % clip.Count];
            Assert.True(expected.Checksum == frames[i].Checksum,
                $"decoded frame {i} should be clip frame {(first + i) % clip.Count}, but is clip frame {IndexInClip(clip, frames[i])}");
        }

        int secondKeyframe = frames.FindIndex(1, f => f.IsKey);
        Assert.True(secondKeyframe == Clips.H264Gop4sGop, $"{secondKeyframe} frames were decoded before the camera's next keyframe");
        Assert.Equal(0, host.IsolationViolations);
    }

    private static int IndexInClip(IReadOnlyList<DecodedFrame> clip, DecodedFrame frame)
    {
        for (int i = 0; i < clip.Count; i++)
        {
            if (clip[i].Checksum == frame.Checksum)
            {
                return i;
            }
        }

        return -1;
    }
}
