using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>Players of a path nobody publishes are refused; players of a camera that leaves are ended.</summary>
[Trait("Category", "EndToEnd")]
public class PathLifecycleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Reading_a_path_nobody_publishes_fails_with_404(string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "nobody"));

        await using FfmpegProcess player = await Player.RunAsync(host, "nobody", readOver, "-f", "null", "-");
        Assert.NotEqual(0, player.ExitCode);
        Assert.Contains("404", player.Stderr);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Player_ends_when_the_camera_stops(string readOver)
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        await using FfmpegProcess player = Player.Start(host, "cam1", readOver, "-f", "null", "-");
        Assert.True(await player.WaitForStderrAsync(e => e.Contains("frame=", StringComparison.Ordinal), Deadline), player.Stderr);

        await camera.DisposeAsync();

        Assert.True(await player.WaitForExitAsync(Deadline), "the player kept running after the camera left: " + player.Stderr);
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam1"));
        Assert.Equal(0, host.IsolationViolations);
    }
}
