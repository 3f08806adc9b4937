using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>The few things a test viewer needs from an SDP: the H.264 payload type, its control URL, its parameter sets.</summary>
internal static partial class SdpFacts
{
    public static int H264PayloadType(string sdp)
    {
        Match match = H264RtpMap().Match(sdp);
        return match.Success ? int.Parse(match.Groups[1].Value) : -1;
    }

    /// <summary>The first video section's <c>a=control</c>, made absolute against <paramref name="contentBase"/>.</summary>
    public static string VideoControl(string sdp, string contentBase)
    {
        int video = sdp.IndexOf("m=video", StringComparison.Ordinal);
        Match match = Control().Match(sdp, Math.Max(video, 0));
        if (!match.Success)
        {
            return contentBase;
        }

        string control = match.Groups[1].Value.Trim();
        return control.StartsWith("rtsp://", StringComparison.Ordinal) ? control : contentBase.TrimEnd('/') + "/" + control;
    }

    /// <summary>SPS and PPS from <c>sprop-parameter-sets</c>, if the SDP carries them.</summary>
    public static IEnumerable<byte[]> ParameterSets(string sdp)
    {
        Match match = Sprop().Match(sdp);
        if (!match.Success)
        {
            yield break;
        }

        foreach (string set in match.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Convert.FromBase64String(set);
        }
    }

    [GeneratedRegex(@"a=rtpmap:(\d+) H264/90000", RegexOptions.IgnoreCase)]
    private static partial Regex H264RtpMap();

    [GeneratedRegex(@"a=control:(\S+)")]
    private static partial Regex Control();

    [GeneratedRegex(@"sprop-parameter-sets=([A-Za-z0-9+/=,]+)")]
    private static partial Regex Sprop();
}
