using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>Two households' cameras at once: every player decodes only its own camera's picture.</summary>
public class IsolationTests
{
    [Fact]
    public async Task Each_player_sees_only_its_own_cameras_colour()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera red = await Camera.StartAsync(host, "home1/cam", await Clips.SolidAsync("red"));
        await using Camera blue = await Camera.StartAsync(host, "home2/cam", await Clips.SolidAsync("blue"), "udp");

        // Several players per camera at once, over both transports, joining in a burst.
        var players = new List<(string Path, Task<byte[]> Pixels)>();
        foreach (string transport in new[] { "tcp", "udp", "tcp" })
        {
            players.Add(("home1/cam", TinyFrameAsync(host, "home1/cam", transport)));
            players.Add(("home2/cam", TinyFrameAsync(host, "home2/cam", transport)));
        }

        foreach ((string path, Task<byte[]> pixels) in players)
        {
            (double r, double g, double b) = Mean(await pixels);
            if (path == "home1/cam")
            {
                Assert.True(r > 180 && b < 70 && g < 70, $"home1 should be red, got ({r:F0},{g:F0},{b:F0})");
            }
            else
            {
                Assert.True(b > 180 && r < 70 && g < 70, $"home2 should be blue, got ({r:F0},{g:F0},{b:F0})");
            }
        }

        Assert.Equal(0, host.IsolationViolations);
    }

    /// <summary>One decoded frame scaled to 8x8 RGB24: 192 bytes.</summary>
    private static async Task<byte[]> TinyFrameAsync(MediaServerHost host, string path, string transport)
    {
        await using FfmpegProcess player = await Player.RunAsync(host, path, transport,
            "-frames:v", "1", "-vf", "scale=8:8", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1");
        byte[] pixels = player.Stdout();
        Assert.True(pixels.Length == 8 * 8 * 3, $"expected one 8x8 frame, got {pixels.Length} bytes: {player.Stderr}");
        return pixels;
    }

    private static (double R, double G, double B) Mean(byte[] rgb)
    {
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            r += rgb[i];
            g += rgb[i + 1];
            b += rgb[i + 2];
        }

        int n = rgb.Length / 3;
        return (r / n, g / n, b / n);
    }
}
