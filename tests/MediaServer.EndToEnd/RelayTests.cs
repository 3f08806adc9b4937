using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>Real ffmpeg cameras publish and real ffmpeg players decode, over every transport pairing.</summary>
public class RelayTests
{
    [Theory]
    [InlineData("tcp", "tcp")]
    [InlineData("udp", "udp")]
    [InlineData("tcp", "udp")]
    [InlineData("udp", "tcp")]
    public async Task Player_decodes_what_the_camera_publishes(string publishOver, string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync(), publishOver);

        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", readOver,
            "-map", "0:v", "-frames:v", "60", "-f", "framecrc", "pipe:1");

        Assert.True(player.ExitCode == 0, player.Stderr);
        Assert.Equal(60, Player.FramesPerStream(player.Stdout())[0]);
        Assert.Contains("h264", player.Stderr);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Player_decodes_both_tracks_of_an_h265_and_aac_camera()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H265AacAsync());

        await using FfmpegProcess player = await Player.RunAsync(host, "cam1", "tcp",
            "-map", "0:v", "-map", "0:a", "-t", "3", "-f", "framecrc", "pipe:1");

        Assert.True(player.ExitCode == 0, player.Stderr);
        Dictionary<int, int> frames = Player.FramesPerStream(player.Stdout());
        Assert.Contains("hevc", player.Stderr);
        Assert.Contains("aac", player.Stderr);
        Assert.True(frames.GetValueOrDefault(0) >= 50, $"video frames: {frames.GetValueOrDefault(0)}");
        Assert.True(frames.GetValueOrDefault(1) >= 50, $"audio frames: {frames.GetValueOrDefault(1)}");
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Reading_a_path_nobody_publishes_fails_with_404()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "nobody"));

        await using FfmpegProcess player = await Player.RunAsync(host, "nobody", "tcp", "-f", "null", "-");
        Assert.NotEqual(0, player.ExitCode);
        Assert.Contains("404", player.Stderr);
    }

    [Fact]
    public async Task Player_ends_when_the_camera_stops()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        await using FfmpegProcess player = Player.Start(host, "cam1", "tcp", "-f", "null", "-");
        Assert.True(await WaitForOutputAsync(player, "frame=", TimeSpan.FromSeconds(30)), player.Stderr);

        await camera.DisposeAsync();

        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the player kept running after the camera left");
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam1"));
    }

    private static async Task<bool> WaitForOutputAsync(FfmpegProcess process, string text, TimeSpan deadline)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            if (process.Stderr.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return process.Stderr.Contains(text, StringComparison.Ordinal);
    }
}
