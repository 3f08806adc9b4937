using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Formats;

/// <summary>
/// The H.264 (RFC 6184) or H.265 (RFC 7798) NAL units that begin in one RTP payload: a single NAL
/// unit, each unit of an aggregation packet (STAP-A, AP), or the unit a fragmented packet's first
/// fragment starts (FU-A, FU). Each comes as its type and the bytes after its NAL header, so the
/// keyframe and B-frame detectors share one walk. Reads in place; truncated input yields less.
/// </summary>
internal ref struct PayloadNalUnits
{
    private readonly bool _h265;
    private ReadOnlySpan<byte> _single;
    private AggregationUnitReader _units;
    private bool _aggregated;

    public PayloadNalUnits(CodecKind codec, ReadOnlySpan<byte> payload)
    {
        _h265 = codec == CodecKind.H265;
        _single = payload;
        if (_h265 ? payload.Length >= 2 && H265NalUnitType.Of(payload[0]) == H265NalUnitType.Ap : !payload.IsEmpty && H264NalUnitType.Of(payload[0]) == H264NalUnitType.StapA)
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

    private readonly int TypeOf(ReadOnlySpan<byte> nal) => _h265 ? H265NalUnitType.Of(nal[0]) : H264NalUnitType.Of(nal[0]);

    private static bool TryReadH264(ReadOnlySpan<byte> payload, out int type, out ReadOnlySpan<byte> body)
    {
        type = payload.IsEmpty ? 0 : H264NalUnitType.Of(payload[0]);
        body = default;
        if (type == H264NalUnitType.FuA)
        {
            // Only the start fragment's FU header names the type of the whole NAL unit.
            if (payload.Length >= 2 && (payload[1] & 0x80) != 0)
            {
                type = H264NalUnitType.Of(payload[1]);
                body = payload[2..];
                return true;
            }

            return false;
        }

        if (type is >= 1 and <= H264NalUnitType.LastSingleNalUnit)
        {
            body = payload[1..];
            return true;
        }

        return false;
    }

    private static bool TryReadH265(ReadOnlySpan<byte> payload, out int type, out ReadOnlySpan<byte> body)
    {
        type = payload.Length < 2 ? 0 : H265NalUnitType.Of(payload[0]);
        body = default;
        if (payload.Length < 2)
        {
            return false;
        }

        if (type == H265NalUnitType.Fu)
        {
            if (payload.Length >= 3 && (payload[2] & 0x80) != 0)
            {
                type = H265NalUnitType.OfFuHeader(payload[2]);
                body = payload[3..];
                return true;
            }

            return false;
        }

        if (type < H265NalUnitType.Ap)
        {
            body = payload[2..];
            return true;
        }

        return false;
    }
}
