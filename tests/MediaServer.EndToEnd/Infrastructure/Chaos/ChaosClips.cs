using System.Collections.Concurrent;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Camera clips for the chaos test: one palette colour with light temporal noise (so frames are
/// several RTP packets and FU-A reassembly is exercised, while every patch keeps its colour), at a
/// given size, 25 fps, a keyframe every second, 3 s long (cameras loop it). Made once per run.
/// </summary>
internal static class ChaosClips
{
    public const int Gop = 25;

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();
    private static readonly Lazy<string> Directory = new(CreateDirectory);

    /// <summary>
    /// A clip of the colour; <paramref name="heavy"/> ones carry more noise at higher quality
    /// (about 10× the bit rate), so a reader that stops reading backs up the server within seconds.
    /// </summary>
    public static Task<string> SolidAsync(int colour, string size, bool heavy = false) =>
        Made.GetOrAdd($"{colour}-{size}{(heavy ? "-heavy" : "")}", key => new Lazy<Task<string>>(() => EncodeAsync(colour, size, heavy, key))).Value;

    private static async Task<string> EncodeAsync(int colour, string size, bool heavy, string key)
    {
        string output = Path.Combine(Directory.Value, key + ".mp4");
        await using FfmpegProcess ffmpeg = FfmpegProcess.Start(
            "-f", "lavfi", "-i", $"color=c={ColourPalette.LavfiColour(colour)}:size={size}:rate=25,noise=alls={(heavy ? 20 : 8)}:allf=t", "-t", "3",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", heavy ? "18" : "26", "-g", Gop.ToString(), "-keyint_min", Gop.ToString(),
            "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p", "-loglevel", "error", "-y", output);
        if (!await ffmpeg.WaitForExitAsync(TimeSpan.FromMinutes(1)) || ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not make clip {output}: {ffmpeg.Stderr}");
        }

        return output;
    }

    private static string CreateDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mediaserver-chaos-" + Environment.ProcessId);
        System.IO.Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        };
        return directory;
    }
}
