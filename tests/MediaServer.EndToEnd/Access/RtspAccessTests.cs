using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Access;

/// <summary>Real ffmpeg cameras and players with credentials in their URLs (ffmpeg answers our Digest challenge).</summary>
[Trait("Category", "EndToEnd")]
public class RtspAccessTests
{
    [Fact]
    public async Task A_camera_publishes_with_digest_and_only_its_household_can_watch()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());

        await using FfmpegProcess alice = await UrlCamera.PlayAsync($"rtsp://alice:alice-pw@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.True(alice.ExitCode == 0, alice.Stderr);
        Assert.Equal(30, Player.FramesPerStream(alice.Stdout()).GetValueOrDefault(0));

        await using FfmpegProcess bob = await UrlCamera.PlayAsync($"rtsp://bob:bob-pw@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.NotEqual(0, bob.ExitCode);
        Assert.Contains("403", bob.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Player.FramesPerStream(bob.Stdout()).GetValueOrDefault(0));

        await using FfmpegProcess stranger = await UrlCamera.PlayAsync($"rtsp://127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains("401", stranger.Stderr, StringComparison.Ordinal);

        await using FfmpegProcess guesser = await UrlCamera.PlayAsync($"rtsp://alice:wrong@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.NotEqual(0, guesser.ExitCode);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task A_camera_with_the_wrong_password_cannot_publish()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess camera = FfmpegProcess.Start(
            "-loglevel", "warning", "-re", "-i", await Clips.H264Gop4sAsync(), "-c", "copy", "-t", "5",
            "-f", "rtsp", "-rtsp_transport", "tcp", $"rtsp://camera:guess@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.True(await camera.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(0, camera.ExitCode);
        Assert.Contains("401", camera.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetRequiredService<Core.Streams.StreamRegistry>().Count);
    }
}
