namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>Decodes one frame of a path to 8x8 RGB and says what colour it is.</summary>
internal static class Pixels
{
    private const int FrameBytes = 8 * 8 * 3;

    public static async Task<(double R, double G, double B)> FirstFrameColourAsync(MediaServerHost host, string path, string transport) =>
        (await FrameColoursAsync(host, path, transport, 1))[0];

    /// <summary>The colours of the first <paramref name="frames"/> frames a reader decodes, in order.</summary>
    public static async Task<(double R, double G, double B)[]> FrameColoursAsync(MediaServerHost host, string path, string transport, int frames)
    {
        await using FfmpegProcess player = await Player.RunAsync(host, path, transport,
            "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-vf", "scale=8:8", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1");
        byte[] rgb = player.Stdout();
        Assert.True(rgb.Length == frames * FrameBytes, $"expected {frames} 8x8 frames, got {rgb.Length} bytes: {player.Stderr}");
        var colours = new (double R, double G, double B)[frames];
        for (int frame = 0; frame < frames; frame++)
        {
            colours[frame] = Average(rgb.AsSpan(frame * FrameBytes, FrameBytes));
        }

        return colours;
    }

    private static (double R, double G, double B) Average(ReadOnlySpan<byte> rgb)
    {
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
