using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>One decoded video frame as ffmpeg's showinfo filter describes it.</summary>
/// <param name="IsKey">showinfo's <c>iskey:1</c>: a keyframe (IDR for H.264).</param>
/// <param name="Checksum">Adler-32 of the decoded picture: equal pictures, equal checksums.</param>
internal sealed record DecodedFrame(int Index, bool IsKey, string Checksum);

/// <summary>Reads the frames a <c>-vf showinfo</c> run decoded from its stderr.</summary>
internal static partial class Showinfo
{
    public static List<DecodedFrame> Frames(string stderr)
    {
        var frames = new List<DecodedFrame>();
        foreach (Match m in FrameLine().Matches(stderr))
        {
            frames.Add(new DecodedFrame(int.Parse(m.Groups[1].ValueSpan), m.Groups[2].Value == "1", m.Groups[3].Value));
        }

        return frames;
    }

    [GeneratedRegex(@"\] n:\s*(\d+) .*? iskey:(\d) .*? checksum:([0-9A-F]+)")]
    private static partial Regex FrameLine();
}
