namespace MediaServer.Media.Formats.H264;

/// <summary>
/// RTP payload format for H.264 (RFC 6184), packetization modes 0 and 1: single NAL unit packets,
/// STAP-A and FU-A. NAL units go to the sink as they complete; a lost FU-A fragment drops the unit
/// it belonged to rather than passing a corrupt one on. Interleaved mode (STAP-B, MTAP, FU-B) is
/// refused. One instance per track, one caller at a time; never throws on what the network sends.
/// </summary>
public sealed class H264Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
{
    private readonly FragmentBuffer _fragment = new(maxNalUnitSize);

    /// <summary>
    /// Takes one RTP payload. The marker bit ends the access unit (RFC 6184 §5.1) whatever became of
    /// the payload, so a sink always learns where a picture ends.
    /// </summary>
    public DepacketizeResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        DepacketizeResult result = Unpack(payload, sequenceNumber, timestamp);
        if (marker)
        {
            sink.OnAccessUnitEnd(timestamp);
        }

        return result;
    }

    /// <summary>Forgets a half-reassembled unit, e.g. when the source restarts.</summary>
    public void Reset() => _fragment.Reset();

    private DepacketizeResult Unpack(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        if (payload.IsEmpty)
        {
            return DepacketizeResult.Malformed;
        }

        int type = H264NalUnitType.Of(payload[0]);
        if (type == H264NalUnitType.FuA)
        {
            return UnpackFuA(payload, sequenceNumber, timestamp);
        }

        // Any other packet means the fragmented unit in progress will never get its end.
        bool abandoned = _fragment.IsOpen;
        _fragment.Reset();
        DepacketizeResult result = type switch
        {
            0 or 30 or 31 => DepacketizeResult.Malformed,
            H264NalUnitType.StapA => UnpackStapA(payload, timestamp),
            H264NalUnitType.StapB or H264NalUnitType.Mtap16 or H264NalUnitType.Mtap24 or H264NalUnitType.FuB => DepacketizeResult.Unsupported,
            _ => Emit(payload, timestamp),
        };
        return abandoned && result == DepacketizeResult.Ok ? DepacketizeResult.DroppedIncompleteUnit : result;
    }

    private DepacketizeResult Emit(ReadOnlySpan<byte> nalUnit, uint timestamp)
    {
        sink.OnNalUnit(nalUnit, timestamp);
        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackStapA(ReadOnlySpan<byte> payload, uint timestamp)
    {
        // Validate the whole aggregate before emitting anything from it: a lying size in the
        // last unit must not leave the sink with half a packet's worth of units.
        ReadOnlySpan<byte> units = payload[1..];
        if (!AggregationUnitReader.IsValid(units, 1))
        {
            return DepacketizeResult.Malformed;
        }

        var reader = new AggregationUnitReader(units, 1);
        while (reader.TryReadNext(out ReadOnlySpan<byte> nal))
        {
            sink.OnNalUnit(nal, timestamp);
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackFuA(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        if (payload.Length < 3)
        {
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        byte fuHeader = payload[1];
        int originalType = H264NalUnitType.Of(fuHeader);
        if (originalType is 0 or >= H264NalUnitType.StapA)
        {
            // Aggregates and fragments are not themselves fragmented (RFC 6184 §5.8).
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        // The NAL unit header is rebuilt from the FU indicator (F, NRI) and the FU header (type).
        byte nalHeader = (byte)((payload[0] & 0xE0) | originalType);
        bool start = (fuHeader & 0x80) != 0;
        bool end = (fuHeader & 0x40) != 0;
        DepacketizeResult result = _fragment.Add([nalHeader], payload[2..], start, end, sequenceNumber, out bool complete);
        if (complete)
        {
            sink.OnNalUnit(_fragment.Content, timestamp);
        }

        return result;
    }
}
