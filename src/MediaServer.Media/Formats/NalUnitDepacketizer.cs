namespace MediaServer.Media.Formats;

/// <summary>
/// Turns H.264 or H.265 RTP payloads back into NAL units: single NAL unit packets, aggregation
/// packets (STAP-A, AP) and fragmentation units (FU-A, FU). NAL units go to the sink as they
/// complete; a lost fragment drops the unit it belonged to rather than passing a corrupt one on.
/// One instance per track, one caller at a time; never throws on what the network sends.
/// </summary>
/// <typeparam name="TFormat">The codec's payload format; a struct, so its members inline.</typeparam>
public abstract class NalUnitDepacketizer<TFormat>
    where TFormat : struct, INalPayloadFormat
{
    private readonly INalUnitSink _sink;
    private readonly FragmentBuffer _fragment;

    private protected NalUnitDepacketizer(INalUnitSink sink, int maxNalUnitSize)
    {
        _sink = sink;
        _fragment = new FragmentBuffer(maxNalUnitSize);
    }

    /// <summary>
    /// Takes one RTP payload. The marker bit ends the access unit (RFC 6184 §5.1, RFC 7798 §4.1)
    /// whatever became of the payload, so a sink always learns where a picture ends.
    /// </summary>
    public DepacketizeResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        DepacketizeResult result = Unpack(payload, sequenceNumber, timestamp);
        if (marker)
        {
            _sink.OnAccessUnitEnd(timestamp);
        }

        return result;
    }

    /// <summary>Forgets a half-reassembled unit, e.g. when the source restarts.</summary>
    public void Reset() => _fragment.Reset();

    private DepacketizeResult Unpack(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        NalPacketKind kind = TFormat.Classify(payload);
        if (kind == NalPacketKind.Fragment)
        {
            return UnpackFragment(payload, sequenceNumber, timestamp);
        }

        if (kind == NalPacketKind.Empty)
        {
            return DepacketizeResult.Malformed;
        }

        // Any other packet means the fragmented unit in progress will never get its end.
        bool abandoned = _fragment.IsOpen;
        _fragment.Reset();
        DepacketizeResult result = kind switch
        {
            NalPacketKind.Single => Emit(payload, timestamp),
            NalPacketKind.Aggregation => UnpackAggregate(payload, timestamp),
            NalPacketKind.Unsupported => DepacketizeResult.Unsupported,
            _ => DepacketizeResult.Malformed,
        };
        return abandoned && result == DepacketizeResult.Ok ? DepacketizeResult.DroppedIncompleteUnit : result;
    }

    private DepacketizeResult Emit(ReadOnlySpan<byte> nalUnit, uint timestamp)
    {
        _sink.OnNalUnit(nalUnit, timestamp);
        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackAggregate(ReadOnlySpan<byte> payload, uint timestamp)
    {
        // Validate the whole aggregate before emitting anything from it: a lying size in the
        // last unit must not leave the sink with half a packet's worth of units.
        ReadOnlySpan<byte> units = payload[TFormat.HeaderSize..];
        if (!AggregationUnitReader.IsValid(units, TFormat.HeaderSize))
        {
            return DepacketizeResult.Malformed;
        }

        var reader = new AggregationUnitReader(units, TFormat.HeaderSize);
        while (reader.TryReadNext(out ReadOnlySpan<byte> nal))
        {
            _sink.OnNalUnit(nal, timestamp);
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackFragment(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        // Payload header, FU header, and at least one byte of the fragment.
        if (payload.Length < TFormat.HeaderSize + 2)
        {
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        byte fuHeader = payload[TFormat.HeaderSize];
        int originalType = TFormat.TypeOfFragmentHeader(fuHeader);
        if (!TFormat.IsSingleUnit(originalType))
        {
            // A fragment carries a NAL unit, never an aggregate or another fragment (RFC 6184 §5.8, RFC 7798 §4.4.3).
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        // The NAL unit header is the payload header with the type from the FU header (for H.265
        // the second byte, the rest of LayerId and TID, comes as it is).
        ReadOnlySpan<byte> nalHeader = [TFormat.WithType(payload[0], originalType), payload[1]];
        bool start = (fuHeader & 0x80) != 0;
        bool end = (fuHeader & 0x40) != 0;
        DepacketizeResult result = _fragment.Add(
            nalHeader[..TFormat.HeaderSize], payload[(TFormat.HeaderSize + 1)..], start, end, sequenceNumber, out bool complete);
        if (complete)
        {
            _sink.OnNalUnit(_fragment.Content, timestamp);
        }

        return result;
    }
}
