using System.Globalization;

namespace MediaServer.Media.Formats.H265;

/// <summary>
/// The <see cref="NalUnitDepacketizer{TFormat}"/> for H.265 (RFC 7798) without DONL
/// (sprop-max-don-diff = 0, what cameras and ffmpeg send): single NAL unit packets, aggregation
/// packets (AP) and fragmentation units (FU). PACI packets are refused.
/// </summary>
public sealed class H265Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
    : NalUnitDepacketizer<H265PayloadFormat>(sink, maxNalUnitSize)
{
    /// <summary>
    /// A depacketizer for the stream this fmtp describes, or false when the stream carries DONL
    /// fields (sprop-max-don-diff above 0, RFC 7798 §7.1), which this depacketizer does not read.
    /// </summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> fmtp, INalUnitSink sink, out H265Depacketizer? depacketizer)
    {
        depacketizer = null;
        if (fmtp.TryGetValue("sprop-max-don-diff", out string? text) &&
            (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int maxDonDiff) || maxDonDiff != 0))
        {
            return false;
        }

        depacketizer = new H265Depacketizer(sink);
        return true;
    }
}
