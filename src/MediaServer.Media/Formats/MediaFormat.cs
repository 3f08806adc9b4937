using System.Globalization;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Formats;

/// <summary>The first payload format of one m= section: codec, payload type, clock rate, fmtp.</summary>
public sealed class MediaFormat
{
    /// <summary>The codec, or <see cref="CodecKind.Unknown"/> for formats the server only relays.</summary>
    public CodecKind Codec { get; init; }

    /// <summary>The RTP payload type, or -1 when the m= line's first format is not one (e.g. "m=application ... webrtc-datachannel").</summary>
    public int PayloadType { get; init; }

    public string EncodingName { get; init; } = string.Empty;

    public int ClockRate { get; init; }

    public int Channels { get; init; } = 1;

    public IReadOnlyDictionary<string, string> Fmtp { get; init; } = FmtpParameters.Parse(null);

    public bool IsVideo { get; init; }

    public bool IsAudio { get; init; }

    public static MediaFormat FromMediaDescription(MediaDescription md)
    {
        int payloadType = md.Formats.Count > 0 &&
            int.TryParse(md.Formats[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pt) && pt <= 127 ? pt : -1;
        RtpMap? map = payloadType >= 0 ? md.GetRtpMap(payloadType) : null;
        (string name, int clockRate, int channels) = map is not null
            ? (map.EncodingName, map.ClockRate, map.Channels ?? 1)
            : StaticPayloadType(payloadType);
        return new MediaFormat
        {
            Codec = CodecFromName(name),
            PayloadType = payloadType,
            EncodingName = name,
            ClockRate = clockRate,
            Channels = channels,
            Fmtp = FmtpParameters.Parse(payloadType >= 0 ? md.GetFmtp(payloadType) : null),
            IsVideo = string.Equals(md.Media, "video", StringComparison.OrdinalIgnoreCase),
            IsAudio = string.Equals(md.Media, "audio", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>RFC 3551 §6 static payload types, which senders may use without an rtpmap.</summary>
    private static (string Name, int ClockRate, int Channels) StaticPayloadType(int payloadType) => payloadType switch
    {
        0 => ("PCMU", 8000, 1),
        3 => ("GSM", 8000, 1),
        4 => ("G723", 8000, 1),
        5 => ("DVI4", 8000, 1),
        6 => ("DVI4", 16000, 1),
        7 => ("LPC", 8000, 1),
        8 => ("PCMA", 8000, 1),
        // G.722 samples at 16 kHz but RFC 3551 §4.5.2 keeps its RTP clock at 8000 for history's sake.
        9 => ("G722", 8000, 1),
        10 => ("L16", 44100, 2),
        11 => ("L16", 44100, 1),
        12 => ("QCELP", 8000, 1),
        13 => ("CN", 8000, 1),
        14 => ("MPA", 90000, 1),
        15 => ("G728", 8000, 1),
        16 => ("DVI4", 11025, 1),
        17 => ("DVI4", 22050, 1),
        18 => ("G729", 8000, 1),
        25 => ("CelB", 90000, 1),
        26 => ("JPEG", 90000, 1),
        28 => ("nv", 90000, 1),
        31 => ("H261", 90000, 1),
        32 => ("MPV", 90000, 1),
        33 => ("MP2T", 90000, 1),
        34 => ("H263", 90000, 1),
        _ => (string.Empty, 90000, 1),
    };

    private static CodecKind CodecFromName(string name) => name.ToUpperInvariant() switch
    {
        "H264" => CodecKind.H264,
        "H265" or "HEVC" => CodecKind.H265,
        "MPEG4-GENERIC" => CodecKind.Aac,
        "MP4A-LATM" => CodecKind.Mpeg4Audio,
        "OPUS" => CodecKind.Opus,
        "PCMU" => CodecKind.Pcmu,
        "PCMA" => CodecKind.Pcma,
        "VP8" => CodecKind.Vp8,
        "VP9" => CodecKind.Vp9,
        "AV1" => CodecKind.Av1,
        "G722" => CodecKind.G722,
        "L16" => CodecKind.L16,
        "MPA" => CodecKind.Mpa,
        _ => CodecKind.Unknown,
    };
}
