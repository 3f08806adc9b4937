using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Formats;

/// <summary>
/// Tells whether one RTP payload carries the start of a B slice: H.264 slice_type 1 or 6 in the
/// slice header of a coded slice (NAL types 1 and 5; ITU-T H.264 §7.3.3), H.265 slice_type 0 in
/// the first slice segment of a picture (ITU-T H.265 §7.3.6.1). Looks at single NAL unit
/// packets, aggregation packets and the first fragment of a fragmented unit; reads a few bytes
/// and never allocates. Browsers' WebRTC decoders are built for streams without B-frames, so
/// ingest asks this until the first B slice is seen.
/// </summary>
public static class BFrameDetector
{
    /// <param name="h265ExtraSliceHeaderBits">
    /// num_extra_slice_header_bits of the stream's PPS (see <see cref="H265ExtraSliceHeaderBits"/>);
    /// ignored for H.264.
    /// </param>
    public static bool ContainsBSlice(CodecKind codec, ReadOnlySpan<byte> rtpPayload, int h265ExtraSliceHeaderBits = 0) => codec switch
    {
        CodecKind.H264 => H264ContainsBSlice(rtpPayload),
        CodecKind.H265 => H265ContainsBSlice(rtpPayload, h265ExtraSliceHeaderBits),
        _ => false,
    };

    /// <summary>num_extra_slice_header_bits of an H.265 PPS NAL unit (header included); 0 if it cannot be read.</summary>
    public static int H265ExtraSliceHeaderBits(ReadOnlySpan<byte> pps)
    {
        if (pps.Length < 3)
        {
            return 0;
        }

        var bits = new RbspBitReader(pps[2..]);
        return bits.TryReadUnsignedExpGolomb(out _) // pps_pic_parameter_set_id
            && bits.TryReadUnsignedExpGolomb(out _) // pps_seq_parameter_set_id
            && bits.TrySkipBits(2) // dependent_slice_segments_enabled_flag, output_flag_present_flag
            && bits.TryReadBits(3, out uint extra)
                ? (int)extra
                : 0;
    }

    private static bool H264ContainsBSlice(ReadOnlySpan<byte> payload)
    {
        var units = new PayloadNalUnits(CodecKind.H264, payload);
        while (units.TryReadNext(out int type, out ReadOnlySpan<byte> sliceHeader))
        {
            if (IsH264Slice(type) && IsH264BSliceHeader(sliceHeader))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsH264Slice(int nalType) => nalType is H264NalUnitType.NonIdrSlice or H264NalUnitType.IdrSlice;

    private static bool IsH264BSliceHeader(ReadOnlySpan<byte> sliceHeader)
    {
        var bits = new RbspBitReader(sliceHeader);
        return bits.TryReadUnsignedExpGolomb(out _) // first_mb_in_slice
            && bits.TryReadUnsignedExpGolomb(out uint sliceType)
            && sliceType is 1 or 6;
    }

    private static bool H265ContainsBSlice(ReadOnlySpan<byte> payload, int extraBits)
    {
        var units = new PayloadNalUnits(CodecKind.H265, payload);
        while (units.TryReadNext(out int type, out ReadOnlySpan<byte> sliceHeader))
        {
            if (type <= H265NalUnitType.LastNonIrapVcl && IsH265BSliceHeader(sliceHeader, extraBits))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsH265BSliceHeader(ReadOnlySpan<byte> sliceHeader, int extraBits)
    {
        // Only a picture's first slice segment is read: later ones need the SPS to skip their
        // address, and every picture has a first one.
        var bits = new RbspBitReader(sliceHeader);
        return bits.TryReadBit(out int firstSliceSegmentInPicture) && firstSliceSegmentInPicture == 1
            && bits.TryReadUnsignedExpGolomb(out _) // slice_pic_parameter_set_id
            && bits.TrySkipBits(extraBits) // slice_reserved_flag[i]
            && bits.TryReadUnsignedExpGolomb(out uint sliceType)
            && sliceType == 0;
    }
}
