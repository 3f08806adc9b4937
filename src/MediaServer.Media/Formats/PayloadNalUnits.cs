namespace MediaServer.Media.Formats;

/// <summary>
/// The H.264 (RFC 6184) or H.265 (RFC 7798) NAL units that begin in one RTP payload: a single NAL
/// unit, each unit of an aggregation packet (STAP-A, AP), or the unit a fragmented packet's first
/// fragment starts (FU-A, FU). Each comes as its type and the bytes after its NAL header, so the
/// keyframe and B-frame detectors share one walk. Reads in place; truncated input yields less.
/// </summary>
internal ref struct PayloadNalUnits
{
    private const int H264StapA = 24;
    private const int H264FuA = 28;
    private const int H265Ap = 48;
    private const int H265Fu = 49;

    private readonly bool _h265;
    private ReadOnlySpan<byte> _single;
    private AggregationUnitReader _units;
    private bool _aggregated;

    public PayloadNalUnits(CodecKind codec, ReadOnlySpan<byte> payload)
    {
        _h265 = codec == CodecKind.H265;
        _single = payload;
        if (_h265 ? payload.Length >= 2 && ((payload[0] >> 1) & 0x3F) == H265Ap : !payload.IsEmpty && (payload[0] & 0x1F) == H264StapA)
        {
            _aggregated = true;
            _units = new AggregationUnitReader(payload[HeaderLength..], HeaderLength);
            _single = default;
        }
    }

    private readonly int HeaderLength => _h265 ? 2 : 1;

    public bool TryReadNext(out int type, out ReadOnlySpan<byte> body)
    {
        if (_aggregated)
        {
            if (_units.TryReadNext(out ReadOnlySpan<byte> nal))
            {
                type = TypeOf(nal);
                body = nal[HeaderLength..];
                return true;
            }

            type = 0;
            body = default;
            return false;
        }

        ReadOnlySpan<byte> payload = _single;
        _single = default; // a non-aggregated payload holds one unit at most
        return _h265 ? TryReadH265(payload, out type, out body) : TryReadH264(payload, out type, out body);
    }

    private readonly int TypeOf(ReadOnlySpan<byte> nal) => _h265 ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F;

    private static bool TryReadH264(ReadOnlySpan<byte> payload, out int type, out ReadOnlySpan<byte> body)
    {
        type = payload.IsEmpty ? 0 : payload[0] & 0x1F;
        body = default;
        if (type == H264FuA)
        {
            // Only the start fragment's FU header names the type of the whole NAL unit.
            if (payload.Length >= 2 && (payload[1] & 0x80) != 0)
            {
                type = payload[1] & 0x1F;
                body = payload[2..];
                return true;
            }

            return false;
        }

        if (type is >= 1 and <= 23)
        {
            body = payload[1..];
            return true;
        }

        return false;
    }

    private static bool TryReadH265(ReadOnlySpan<byte> payload, out int type, out ReadOnlySpan<byte> body)
    {
        type = payload.Length < 2 ? 0 : (payload[0] >> 1) & 0x3F;
        body = default;
        if (payload.Length < 2)
        {
            return false;
        }

        if (type == H265Fu)
        {
            if (payload.Length >= 3 && (payload[2] & 0x80) != 0)
            {
                type = payload[2] & 0x3F;
                body = payload[3..];
                return true;
            }

            return false;
        }

        if (type < H265Ap)
        {
            body = payload[2..];
            return true;
        }

        return false;
    }
}
