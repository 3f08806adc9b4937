using System.Buffers.Binary;

namespace MediaServer.Media.Formats;

/// <summary>
/// Looks into one RTP payload, without allocating or copying, for what a decoder can start from:
/// an H.264 IDR slice (RFC 6184) or an H.265 IRAP picture (RFC 7798), directly, aggregated or as
/// the first fragment of a fragmented unit. Truncated payloads are simply "not found".
/// </summary>
public static class KeyframeDetector
{
    public static bool ContainsRandomAccess(CodecKind codec, ReadOnlySpan<byte> payload) => codec switch
    {
        CodecKind.H264 => H264Contains(payload, IsH264Idr),
        CodecKind.H265 => H265Contains(payload, IsH265Irap),
        CodecKind.Aac or CodecKind.Opus or CodecKind.Pcmu or CodecKind.Pcma or CodecKind.G722 or CodecKind.L16
            or CodecKind.Mpeg4Audio or CodecKind.Mpa => true,
        _ => false,
    };

    public static bool ContainsParameterSets(CodecKind codec, ReadOnlySpan<byte> payload) => codec switch
    {
        CodecKind.H264 => H264Contains(payload, IsH264ParameterSet),
        CodecKind.H265 => H265Contains(payload, IsH265ParameterSet),
        _ => false,
    };

    private static bool IsH264Idr(int type) => type == 5;

    private static bool IsH264ParameterSet(int type) => type is 7 or 8;

    private static bool IsH265Irap(int type) => type is >= 16 and <= 21;

    private static bool IsH265ParameterSet(int type) => type is 32 or 33 or 34;

    private static bool H264Contains(ReadOnlySpan<byte> payload, Func<int, bool> match)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        int type = payload[0] & 0x1F;
        switch (type)
        {
            case 24: // STAP-A: [size16 NAL]...
                for (int offset = 1; offset + 2 < payload.Length;)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
                    offset += 2;
                    if (size == 0 || offset + size > payload.Length)
                    {
                        return false;
                    }

                    if (match(payload[offset] & 0x1F))
                    {
                        return true;
                    }

                    offset += size;
                }

                return false;
            case 28: // FU-A: only the start fragment says what the NAL unit is.
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && match(payload[1] & 0x1F);
            default:
                return type is >= 1 and <= 23 && match(type);
        }
    }

    private static bool H265Contains(ReadOnlySpan<byte> payload, Func<int, bool> match)
    {
        if (payload.Length < 2)
        {
            return false;
        }

        int type = (payload[0] >> 1) & 0x3F;
        switch (type)
        {
            case 48: // AP: 2-byte header, then [size16 NAL]...
                for (int offset = 2; offset + 2 < payload.Length;)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
                    offset += 2;
                    if (size < 2 || offset + size > payload.Length)
                    {
                        return false;
                    }

                    if (match((payload[offset] >> 1) & 0x3F))
                    {
                        return true;
                    }

                    offset += size;
                }

                return false;
            case 49: // FU: 2-byte header, FU header with S bit and type.
                return payload.Length >= 3 && (payload[2] & 0x80) != 0 && match(payload[2] & 0x3F);
            default:
                return type < 48 && match(type);
        }
    }
}
