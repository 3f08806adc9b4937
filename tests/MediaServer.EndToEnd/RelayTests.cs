using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>Real ffmpeg cameras publish and real ffmpeg players decode, over every transport pairing.</summary>
[Trait("Category", "EndToEnd")]
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
        Assert.Equal(60, Player.FramesPerStream(player.Stdout()).GetValueOrDefault(0));
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
}
