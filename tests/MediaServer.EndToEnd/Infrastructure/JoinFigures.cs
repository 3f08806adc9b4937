using System.Globalization;
using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>One decoded frame: its presentation time in the stream and when the player decoded it (both seconds).</summary>
internal readonly record struct TimedFrame(double Pts, double Wall);

/// <summary>
/// What a player saw of its join, measured on the player's side: packets its RTP demuxer found
/// missing, and how far behind live a player presenting by timestamp would show what it decoded.
/// </summary>
internal static partial class JoinFigures
{
    /// <summary>
    /// ffmpeg filters that print each decoded frame twice: with its stream timestamp, then with the
    /// wall clock since the filter graph started in place of it.
    /// </summary>
    public const string TimedShowinfo = "showinfo,setpts=(RTCTIME-RTCSTART)/(TB*1000000),showinfo";

    /// <summary>Packets ffmpeg's RTP demuxer reported missing ("RTP: missed N packets").</summary>
    public static int FfmpegMissedPackets(string stderr)
    {
        int missed = 0;
        foreach (Match m in Missed().Matches(stderr))
        {
            missed += int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        }

        return missed;
    }

    /// <summary>Frames ffmpeg reported done in its last stats line.</summary>
    public static int FfmpegFramesDone(string stderr)
    {
        MatchCollection stats = StatsFrame().Matches(stderr);
        return stats.Count == 0 ? 0 : int.Parse(stats[^1].Groups[1].ValueSpan, CultureInfo.InvariantCulture);
    }

    /// <summary>The frames of a <see cref="TimedShowinfo"/> run, in decoding order.</summary>
    public static List<TimedFrame> TimedFrames(string stderr)
    {
        var pts = new Dictionary<int, double>();
        var wall = new Dictionary<int, double>();
        foreach (Match m in ShowinfoLine().Matches(stderr))
        {
            int n = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            double time = double.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            (m.Groups[1].Value == "0" ? pts : wall)[n] = time;
        }

        var frames = new List<TimedFrame>();
        for (int n = 0; pts.TryGetValue(n, out double p) && wall.TryGetValue(n, out double w); n++)
        {
            frames.Add(new TimedFrame(p, w));
        }

        return frames;
    }

    /// <summary>
    /// Lag to live of each frame decoded at least <paramref name="afterSeconds"/> after the first:
    /// a player shows the first frame when it has it and each later one at its timestamp's distance
    /// from the first, waiting (and staying that much later) when a frame comes after its time.
    /// A frame decoded as it arrived from a live camera is live; the lag is how much later the player
    /// shows it.
    /// </summary>
    public static List<double> LagsToLive(IReadOnlyList<TimedFrame> frames, double afterSeconds)
    {
        var lags = new List<double>();
        if (frames.Count == 0)
        {
            return lags;
        }

        TimedFrame first = frames[0];
        double maxLate = 0;
        foreach (TimedFrame frame in frames)
        {
            double due = first.Wall + (frame.Pts - first.Pts);
            maxLate = Math.Max(maxLate, frame.Wall - due);
            if (frame.Wall - first.Wall >= afterSeconds)
            {
                lags.Add(due + maxLate - frame.Wall);
            }
        }

        return lags;
    }

    public static double Median(List<double> values)
    {
        Assert.NotEmpty(values);
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    [GeneratedRegex(@"^frame=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex StatsFrame();

    [GeneratedRegex(@"RTP: missed (\d+) packets")]
    private static partial Regex Missed();

    [GeneratedRegex(@"\[Parsed_showinfo_(\d) @ [^\]]+\] n:\s*(\d+) pts:\s*-?\d+\s+pts_time:(-?[0-9.e+-]+)")]
    private static partial Regex ShowinfoLine();
}
