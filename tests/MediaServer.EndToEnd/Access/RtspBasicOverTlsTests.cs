using System.Security.Cryptography;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// <c>Auth:RtspBasic=Tls</c> with users stored only as PBKDF2 (nothing Digest can check): ffmpeg
/// logs in with Basic over RTSPS, where the password is encrypted, and cannot over plain RTSP.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RtspBasicOverTlsTests : IDisposable
{
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    private static string Pbkdf2(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1000, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2:1000:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}";
    }

    [Fact]
    public async Task Ffmpeg_logs_in_with_basic_over_rtsps_only()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
        [
            .. _certificate.Arguments, "--Auth:RtspBasic=Tls",
            "--Auth:Users:0:Name=camera", $"--Auth:Users:0:Password={Pbkdf2("cam-secret")}", "--Auth:Users:0:Permissions:0:Action=publish",
            "--Auth:Users:1:Name=alice", $"--Auth:Users:1:Password={Pbkdf2("alice-pw")}", "--Auth:Users:1:Permissions:0:Action=read",
        ]);
        await using FfmpegProcess camera = await UrlCamera.StartAsync(
            host, $"rtsps://camera:cam-secret@127.0.0.1:{host.RtspTlsPort}/cam1", "cam1", await Clips.H264Gop4sAsync());

        await using FfmpegProcess secure = await UrlCamera.PlayAsync($"rtsps://alice:alice-pw@127.0.0.1:{host.RtspTlsPort}/cam1");
        Assert.True(secure.ExitCode == 0, secure.Stderr);
        Assert.Equal(30, Player.FramesPerStream(secure.Stdout()).GetValueOrDefault(0));

        await using FfmpegProcess plain = await UrlCamera.PlayAsync($"rtsp://alice:alice-pw@127.0.0.1:{host.RtspPort}/cam1");
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("401", plain.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Player.FramesPerStream(plain.Stdout()).GetValueOrDefault(0));
    }
}
