using MediaServer.Media.Formats.Av1;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;
using MediaServer.Media.Formats.Vp8;
using MediaServer.Media.Formats.Vp9;

namespace MediaServer.Media.Formats;

/// <summary>
/// Looks into one RTP payload, without allocating or copying, for what a decoder can start from:
/// an H.264 IDR slice (RFC 6184) or an H.265 IRAP picture (RFC 7798), directly, aggregated or as
/// the first fragment of a fragmented unit; the first packet of a VP8/VP9 key frame or of an AV1
/// coded video sequence. Truncated payloads are simply "not found".
/// </summary>
public static class KeyframeDetector
{
    // The NAL unit types a decoder can start from, as bit masks: one test per unit found.
    private const uint H264Idr = 1u << H264NalUnitType.IdrSlice;
    private const ulong H265Irap = ((1UL << (H265NalUnitType.CraNut + 1)) - 1) & ~((1UL << H265NalUnitType.BlaWLp) - 1);

    public static bool ContainsRandomAccess(CodecKind codec, ReadOnlySpan<byte> rtpPayload) => codec switch
    {
        CodecKind.H264 => H264Contains(rtpPayload, H264Idr),
        CodecKind.H265 => H265Contains(rtpPayload, H265Irap),
        CodecKind.Vp8 => Vp8PayloadDescriptor.IsKeyFrameStart(rtpPayload),
        CodecKind.Vp9 => Vp9PayloadDescriptor.IsKeyFrameStart(rtpPayload),
        CodecKind.Av1 => Av1AggregationHeader.StartsCodedVideoSequence(rtpPayload),
        // Audio frames are coded independently: a reader can join at any packet.
        CodecKind.Aac or CodecKind.Opus or CodecKind.Pcmu or CodecKind.Pcma or CodecKind.G722 or CodecKind.L16
            or CodecKind.Mpeg4Audio or CodecKind.Mpa => true,
        _ => false,
    };

    private static bool H264Contains(ReadOnlySpan<byte> payload, uint types)
    {
        var units = new PayloadNalUnits(CodecKind.H264, payload);
        while (units.TryReadNext(out int type, out _))
        {
            if ((types & (1u << type)) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool H265Contains(ReadOnlySpan<byte> payload, ulong types)
    {
        var units = new PayloadNalUnits(CodecKind.H265, payload);
        while (units.TryReadNext(out int type, out _))
        {
            if ((types & (1UL << type)) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
