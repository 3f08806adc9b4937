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
    private const int H264StapA = 24;
    private const int H264FuA = 28;
    private const int H265Ap = 48;
    private const int H265Fu = 49;

    // H.265 VCL NAL types that can hold B slices: TRAIL_N .. RASL_R (IRAP pictures are intra only).
    private const int H265LastNonIrapVcl = 9;

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
        if (payload.IsEmpty)
        {
            return false;
        }

        int type = payload[0] & 0x1F;
        switch (type)
        {
            case H264StapA:
                var units = new AggregationUnitReader(payload[1..], 1);
                while (units.TryReadNext(out ReadOnlySpan<byte> nal))
                {
                    if (IsH264Slice(nal[0] & 0x1F) && IsH264BSliceHeader(nal[1..]))
                    {
                        return true;
                    }
                }

                return false;
            case H264FuA:
                // Only the start fragment holds the slice header.
                return payload.Length >= 3 && (payload[1] & 0x80) != 0 && IsH264Slice(payload[1] & 0x1F) &&
                    IsH264BSliceHeader(payload[2..]);
            default:
                return IsH264Slice(type) && IsH264BSliceHeader(payload[1..]);
        }
    }

    private static bool IsH264Slice(int nalType) => nalType is 1 or 5;

    private static bool IsH264BSliceHeader(ReadOnlySpan<byte> sliceHeader)
    {
        var bits = new RbspBitReader(sliceHeader);
        return bits.TryReadUnsignedExpGolomb(out _) // first_mb_in_slice
            && bits.TryReadUnsignedExpGolomb(out uint sliceType)
            && sliceType is 1 or 6;
    }

    private static bool H265ContainsBSlice(ReadOnlySpan<byte> payload, int extraBits)
    {
        if (payload.Length < 3)
        {
            return false;
        }

        int type = (payload[0] >> 1) & 0x3F;
        switch (type)
        {
            case H265Ap:
                var units = new AggregationUnitReader(payload[2..], 2);
                while (units.TryReadNext(out ReadOnlySpan<byte> nal))
                {
                    if (((nal[0] >> 1) & 0x3F) <= H265LastNonIrapVcl && IsH265BSliceHeader(nal[2..], extraBits))
                    {
                        return true;
                    }
                }

                return false;
            case H265Fu:
                return payload.Length >= 4 && (payload[2] & 0x80) != 0 && (payload[2] & 0x3F) <= H265LastNonIrapVcl &&
                    IsH265BSliceHeader(payload[3..], extraBits);
            default:
                return type <= H265LastNonIrapVcl && IsH265BSliceHeader(payload[2..], extraBits);
        }
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
