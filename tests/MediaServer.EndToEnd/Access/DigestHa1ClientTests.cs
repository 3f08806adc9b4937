using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// Real RTSP clients logging in as users whose password is stored only as a hash. ffmpeg 5.1 and
/// GStreamer 1.22 answer a Digest challenge with MD5 whenever Digest is offered and never fall
/// back to Basic, so such a user needs its MD5 HA1 (<c>digest-md5:REALM:HEX</c>) stored, or a
/// challenge without Digest.
/// </summary>
[Trait("Category", "EndToEnd")]
public class DigestHa1ClientTests
{
    // The HA1s are computed here, as htdigest would, not by the code under test.
#pragma warning disable CA5351 // Digest MD5 is what the clients under test speak.
    private static string Md5Ha1(string user, string password) =>
        "digest-md5:MediaServer:" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:MediaServer:{password}")));
#pragma warning restore CA5351

    private static readonly string[] Ha1Users =
    [
        "--Auth:Users:0:Name=camera", $"--Auth:Users:0:Password={Md5Ha1("camera", "cam-secret")}", "--Auth:Users:0:Permissions:0:Action=publish",
        "--Auth:Users:1:Name=alice", $"--Auth:Users:1:Password={Md5Ha1("alice", "alice-pw")}",
        "--Auth:Users:1:Permissions:0:Action=read", "--Auth:Users:1:Permissions:0:Path=~^home1/",
    ];

    [Fact]
    public async Task Ffmpeg_publishes_and_plays_as_users_whose_only_password_is_the_md5_ha1()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Ha1Users);
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());

        await using FfmpegProcess alice = await UrlCamera.PlayAsync($"rtsp://alice:alice-pw@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.True(alice.ExitCode == 0, alice.Stderr);
        Assert.Equal(30, Player.FramesPerStream(alice.Stdout()).GetValueOrDefault(0));

        await using FfmpegProcess guesser = await UrlCamera.PlayAsync($"rtsp://alice:alice-pw2@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.NotEqual(0, guesser.ExitCode);
        Assert.Contains("401", guesser.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Player.FramesPerStream(guesser.Stdout()).GetValueOrDefault(0));
    }

    [Fact]
    public async Task Gstreamer_rtspclientsink_publishes_and_rtspsrc_plays_as_users_whose_only_password_is_the_md5_ha1()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Ha1Users);
        await using GstLaunch camera = GstLaunch.Start(
            "filesrc", $"location={await Clips.H264Gop4sAsync()}", "!", "qtdemux", "!", "h264parse", "!",
            "rtspclientsink", $"location=rtsp://camera:cam-secret@127.0.0.1:{host.RtspPort}/home1/gst", "protocols=tcp");
        Assert.True(StreamId.TryCreate("home1/gst", out StreamId id));
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        Assert.True(await Eventually.TrueAsync(() => registry.TryGet(id, out _) || camera.HasExited, TimeSpan.FromSeconds(30)), camera.Output);
        Assert.False(camera.HasExited, camera.Output);

        // 30 access units through the depayloader and parser, then EOS: the pipeline exits 0 only if they arrived.
        await using GstLaunch alice = GstLaunch.Start(
            "rtspsrc", $"location=rtsp://alice:alice-pw@127.0.0.1:{host.RtspPort}/home1/gst", "protocols=tcp", "!",
            "rtph264depay", "!", "h264parse", "!", "identity", "eos-after=30", "!", "fakesink");
        Assert.True(await alice.WaitForExitAsync(TimeSpan.FromSeconds(30)), alice.Output);
        Assert.True(alice.ExitCode == 0, alice.Output);
        Assert.Contains("Got EOS from element", alice.Output, StringComparison.Ordinal);

        await using GstLaunch guesser = GstLaunch.Start(
            "rtspsrc", $"location=rtsp://alice:wrong@127.0.0.1:{host.RtspPort}/home1/gst", "protocols=tcp", "!",
            "rtph264depay", "!", "h264parse", "!", "identity", "eos-after=30", "!", "fakesink");
        Assert.True(await guesser.WaitForExitAsync(TimeSpan.FromSeconds(30)), guesser.Output);
        Assert.NotEqual(0, guesser.ExitCode);
        Assert.Contains("Unauthorized", guesser.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_user_can_answer_digest_the_challenge_is_basic_alone_and_ffmpeg_logs_in_with_it()
    {
        // PBKDF2 (few iterations, to keep the test quick) cannot check a Digest response.
        string Pbkdf2(string password)
        {
            byte[] salt = RandomNumberGenerator.GetBytes(16);
            byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1000, HashAlgorithmName.SHA256, 32);
            return $"pbkdf2:1000:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}";
        }

        await using MediaServerHost host = await TestHost.StartAsync(
            "--Auth:Users:0:Name=camera", $"--Auth:Users:0:Password={Pbkdf2("cam-secret")}", "--Auth:Users:0:Permissions:0:Action=publish",
            "--Auth:Users:1:Name=alice", $"--Auth:Users:1:Password={Pbkdf2("alice-pw")}", "--Auth:Users:1:Permissions:0:Action=read");
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());

        await using FfmpegProcess alice = await UrlCamera.PlayAsync($"rtsp://alice:alice-pw@127.0.0.1:{host.RtspPort}/home1/cam");
        Assert.True(alice.ExitCode == 0, alice.Stderr);
        Assert.Equal(30, Player.FramesPerStream(alice.Stdout()).GetValueOrDefault(0));
    }
}
