using MediaServer.Media.Sdp;

namespace MediaServer.Media.Formats;

/// <summary>The first payload format of one m= section: codec, payload type, clock rate, fmtp.</summary>
public sealed class MediaFormat
{
    public CodecKind Codec { get; init; }

    public int PayloadType { get; init; }

    public string EncodingName { get; init; } = string.Empty;

    public int ClockRate { get; init; }

    public int Channels { get; init; } = 1;

    public IReadOnlyDictionary<string, string> Fmtp { get; init; } = FmtpParameters.Parse(null);

    public bool IsVideo { get; init; }

    public bool IsAudio { get; init; }

    public static MediaFormat FromMediaDescription(MediaDescription media)
    {
        int payloadType = media.Formats.Count > 0 && int.TryParse(media.Formats[0], out int pt) ? pt : -1;
        RtpMap? map = payloadType >= 0 ? media.GetRtpMap(payloadType) : null;
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
            Fmtp = FmtpParameters.Parse(payloadType >= 0 ? media.GetFmtp(payloadType) : null),
            IsVideo = string.Equals(media.Media, "video", StringComparison.OrdinalIgnoreCase),
            IsAudio = string.Equals(media.Media, "audio", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>RFC 3551 §6 static payload types that need no rtpmap.</summary>
    private static (string Name, int ClockRate, int Channels) StaticPayloadType(int payloadType) => payloadType switch
    {
        0 => ("PCMU", 8000, 1),
        8 => ("PCMA", 8000, 1),
        9 => ("G722", 8000, 1),
        10 => ("L16", 44100, 2),
        11 => ("L16", 44100, 1),
        14 => ("MPA", 90000, 1),
        26 => ("JPEG", 90000, 1),
        32 => ("MPV", 90000, 1),
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
