namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>Decodes one frame of a path to 8x8 RGB and says what colour it is.</summary>
internal static class Pixels
{
    public static async Task<(double R, double G, double B)> FirstFrameColourAsync(MediaServerHost host, string path, string transport)
    {
        await using FfmpegProcess player = await Player.RunAsync(host, path, transport,
            "-frames:v", "1", "-vf", "scale=8:8", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1");
        byte[] rgb = player.Stdout();
        Assert.True(rgb.Length == 8 * 8 * 3, $"expected one 8x8 frame, got {rgb.Length} bytes: {player.Stderr}");
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            r += rgb[i];
            g += rgb[i + 1];
            b += rgb[i + 2];
        }

        const int n = 64;
        return (r / n, g / n, b / n);
    }
}
