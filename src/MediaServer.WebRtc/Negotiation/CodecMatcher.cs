using System.Globalization;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// Finds the payload type in a browser's m-section that can carry a stream track unchanged
/// (payloads are passed through, never transcoded), or -1.
/// </summary>
public static class CodecMatcher
{
    /// <summary>Codecs a browser can play as they arrive from a camera.</summary>
    public static bool IsWebRtcPlayable(CodecKind codec) =>
        codec is CodecKind.H264 or CodecKind.H265 or CodecKind.Vp8 or CodecKind.Vp9 or CodecKind.Av1
            or CodecKind.Opus or CodecKind.Pcmu or CodecKind.Pcma or CodecKind.G722;

    public static int FindPayloadType(MediaFormat track, MediaDescription offered)
    {
        if (!IsWebRtcPlayable(track.Codec))
        {
            return -1;
        }

        int best = -1;
        int bestScore = 0;
        foreach (string format in offered.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
            {
                continue;
            }

            RtpMap? map = offered.GetRtpMap(pt) ?? StaticMap(pt);
            if (map is null || !SameCodec(track, map))
            {
                continue;
            }

            int score = Score(track, FmtpParameters.Parse(offered.GetFmtp(pt)));
            if (score > bestScore)
            {
                best = pt;
                bestScore = score;
            }
        }

        return best;
    }

    private static RtpMap? StaticMap(int pt) => pt switch
    {
        0 => new RtpMap(0, "PCMU", 8000, 1),
        8 => new RtpMap(8, "PCMA", 8000, 1),
        9 => new RtpMap(9, "G722", 8000, 1),
        _ => null,
    };

    private static bool SameCodec(MediaFormat track, RtpMap map) =>
        string.Equals(track.EncodingName, map.EncodingName, StringComparison.OrdinalIgnoreCase) &&
        track.ClockRate == map.ClockRate &&
        (track.Codec != CodecKind.Opus || map.Channels == 2);

    /// <summary>0 = unusable; higher is a closer match.</summary>
    private static int Score(MediaFormat track, IReadOnlyDictionary<string, string> offeredFmtp) => track.Codec switch
    {
        CodecKind.H264 => ScoreH264(track.Fmtp, offeredFmtp),
        CodecKind.Vp9 => Get(track.Fmtp, "profile-id", "0") == Get(offeredFmtp, "profile-id", "0") ? 1 : 0,
        CodecKind.Av1 => Get(track.Fmtp, "profile", "0") == Get(offeredFmtp, "profile", "0") ? 1 : 0,
        _ => 1,
    };

    /// <summary>
    /// We send FU-A, so the browser must accept packetization-mode 1. Among those, prefer the same
    /// profile, then any: browsers' H.264 decoders play every common profile whatever the
    /// profile-level-id they were offered under (Chrome offers no High profile entry, yet decodes
    /// High), so a mismatch costs nothing but a log line.
    /// </summary>
    private static int ScoreH264(IReadOnlyDictionary<string, string> trackFmtp, IReadOnlyDictionary<string, string> offeredFmtp)
    {
        if (Get(offeredFmtp, "packetization-mode", "0") != "1")
        {
            return 0;
        }

        string trackProfile = Get(trackFmtp, "profile-level-id", "42e01f");
        string offeredProfile = Get(offeredFmtp, "profile-level-id", "42001f");
        if (trackProfile.Length < 6 || offeredProfile.Length < 6)
        {
            return 1;
        }

        if (string.Equals(trackProfile[..4], offeredProfile[..4], StringComparison.OrdinalIgnoreCase))
        {
            return 4;
        }

        if (string.Equals(trackProfile[..2], offeredProfile[..2], StringComparison.OrdinalIgnoreCase))
        {
            return 3;
        }

        // The highest profile the browser listed decodes the most; Main beats Constrained Baseline.
        return string.Equals(offeredProfile[..2], "4d", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
    }

    private static string Get(IReadOnlyDictionary<string, string> fmtp, string key, string fallback) =>
        fmtp.TryGetValue(key, out string? value) ? value.Trim().ToLowerInvariant() : fallback;
}
