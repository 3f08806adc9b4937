namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// Test clips made once per run with ffmpeg's lavfi sources: small, short, and shaped for what
/// each test checks (a 4 s GOP, H.265 with AAC, solid colours). They live in a temporary
/// directory removed when the test process exits.
/// </summary>
internal static class Clips
{
    /// <summary>Frames between keyframes in <see cref="H264Gop4sAsync"/>: 4 s at 25 fps.</summary>
    public const int H264Gop4sGop = 100;

    private static readonly Lazy<Task<string>> Directory = new(CreateAsync);
    private static readonly Lazy<Task<IReadOnlyList<DecodedFrame>>> H264Gop4sDecoded = new(DecodeH264Gop4sAsync);
    private static readonly Lazy<Task<string>> H264Busy8Mbit = new(EncodeBusy8MbitAsync);

    /// <summary>H.264, 320x240, 25 fps, 12 s (300 distinct frames), one keyframe every 4 s exactly, no B-frames.</summary>
    public static async Task<string> H264Gop4sAsync() => Path.Combine(await Directory.Value, "h264-gop4s.mp4");

    /// <summary>
    /// Every frame of <see cref="H264Gop4sAsync"/> decoded straight from the file, in order: a
    /// player's decoded frame is clip frame i exactly when its checksum is this list's i-th.
    /// </summary>
    public static Task<IReadOnlyList<DecodedFrame>> H264Gop4sFramesAsync() => H264Gop4sDecoded.Value;

    /// <summary>
    /// H.264 in three 4 s GOPs of different solid colours (red, green, blue), one keyframe each:
    /// the colour of a decoded frame tells which GOP it came from.
    /// </summary>
    public static async Task<string> ColouredGopsAsync() => Path.Combine(await Directory.Value, "coloured-gops.mp4");

    /// <summary>H.265 (2 s GOP) with AAC audio, 8 s.</summary>
    public static async Task<string> H265AacAsync() => Path.Combine(await Directory.Value, "h265-aac.mp4");

    /// <summary>H.264 (1 s GOP) with Opus audio, 6 s: what a browser plays with sound.</summary>
    public static async Task<string> H264OpusAsync() => Path.Combine(await Directory.Value, "h264-opus.mkv");

    /// <summary>
    /// H.264 main profile with B-frames (two between references, always), 320x240, 25 fps, 8 s,
    /// a keyframe every 2 s: what a camera configured with B-frames sends.
    /// </summary>
    public static async Task<string> H264BFramesAsync() => Path.Combine(await Directory.Value, "h264-bframes.mp4");

    /// <summary>H.264 (1 s GOP) with AAC audio, 6 s: a camera whose sound a browser cannot play.</summary>
    public static async Task<string> H264AacAsync() => Path.Combine(await Directory.Value, "h264-aac.mp4");

    /// <summary>
    /// H.264, 1280x720, 25 fps, 12 s of noise at about 8 Mbit/s, one keyframe every 4 s: what a
    /// busy camera sends, so a joining reader's cached GOP is megabytes. Made on first use only.
    /// </summary>
    public static Task<string> H264Busy8MbitAsync() => H264Busy8Mbit.Value;

    /// <summary>A solid-colour H.264 clip, 160x120, 1 s GOP.</summary>
    public static async Task<string> SolidAsync(string colour) => Path.Combine(await Directory.Value, $"solid-{colour}.mp4");

    private static async Task<string> CreateAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mediaserver-e2e-" + Environment.ProcessId);
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
        await Task.WhenAll(
            EncodeAsync(Path.Combine(directory, "h264-gop4s.mp4"),
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "12",
                "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline",
                "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p"),
            EncodeAsync(Path.Combine(directory, "h265-aac.mp4"),
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "8",
                "-c:v", "libx265", "-preset", "ultrafast",
                "-x265-params", "keyint=50:min-keyint=50:scenecut=0:bframes=0:log-level=error",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"),
            EncodeAsync(Path.Combine(directory, "coloured-gops.mp4"),
                "-filter_complex",
                "color=c=red:s=160x120:r=25:d=4[a];color=c=green:s=160x120:r=25:d=4[b];" +
                "color=c=blue:s=160x120:r=25:d=4[c];[a][b][c]concat=n=3:v=1:a=0[v]",
                "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p"),
            EncodeAsync(Path.Combine(directory, "h264-opus.mkv"),
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
                "-c:a", "libopus", "-b:a", "32k"),
            EncodeAsync(Path.Combine(directory, "h264-bframes.mp4"),
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "8",
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-bf", "2",
                "-x264-params", "b-adapt=0", "-pix_fmt", "yuv420p"),
            EncodeAsync(Path.Combine(directory, "h264-aac.mp4"),
                "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k"),
            EncodeAsync(Path.Combine(directory, "solid-red.mp4"), SolidArguments("red")),
            EncodeAsync(Path.Combine(directory, "solid-blue.mp4"), SolidArguments("blue")));
        return directory;
    }

    private static async Task<IReadOnlyList<DecodedFrame>> DecodeH264Gop4sAsync()
    {
        string clip = await H264Gop4sAsync();
        await using FfmpegProcess ffmpeg = FfmpegProcess.Start("-loglevel", "info", "-i", clip, "-map", "0:v", "-vf", "showinfo", "-f", "null", "-");
        if (!await ffmpeg.WaitForExitAsync(TimeSpan.FromMinutes(1)) || ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not decode test clip {clip}: {ffmpeg.Stderr}");
        }

        List<DecodedFrame> frames = Showinfo.Frames(ffmpeg.Stderr);
        if (frames.Count != 300 || frames.Select(f => f.Checksum).Distinct().Count() != frames.Count)
        {
            throw new InvalidOperationException($"{clip} should decode to 300 distinct frames, got {frames.Count}");
        }

        return frames;
    }

    private static async Task<string> EncodeBusy8MbitAsync()
    {
        string clip = Path.Combine(await Directory.Value, "h264-busy-8mbit.mp4");
        await EncodeAsync(clip,
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-vf", "noise=alls=40:allf=t", "-t", "12",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-maxrate", "8M", "-bufsize", "4M",
            "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p");
        return clip;
    }

    private static string[] SolidArguments(string colour) =>
    [
        "-f", "lavfi", "-i", $"color=c={colour}:size=160x120:rate=25", "-t", "6",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
    ];

    private static async Task EncodeAsync(string output, params string[] arguments)
    {
        await using FfmpegProcess ffmpeg = FfmpegProcess.Start([.. arguments, "-loglevel", "error", "-y", output]);
        if (!await ffmpeg.WaitForExitAsync(TimeSpan.FromMinutes(2)) || ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not make test clip {output}: {ffmpeg.Stderr}");
        }
    }
}
