using System.Globalization;

namespace MediaServer.Media.Formats.H265;

/// <summary>
/// RTP payload format for H.265 (RFC 7798) without DONL (sprop-max-don-diff = 0, what cameras
/// and ffmpeg send): single NAL unit packets, aggregation packets (AP) and fragmentation units
/// (FU). PACI packets are refused. One instance per track, one caller at a time; never throws on
/// what the network sends.
/// </summary>
public sealed class H265Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
{
    private readonly FragmentBuffer _fragment = new(maxNalUnitSize);

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

    /// <summary>Takes one RTP payload; the marker bit ends the access unit (RFC 7798 §4.1).</summary>
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
        // Two bytes of payload header and at least one of content; F (forbidden_zero_bit) must be 0.
        if (payload.Length < 3 || (payload[0] & 0x80) != 0)
        {
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        int type = H265NalUnitType.Of(payload[0]);
        if (type == H265NalUnitType.Fu)
        {
            return UnpackFragment(payload, sequenceNumber, timestamp);
        }

        bool abandoned = _fragment.IsOpen;
        _fragment.Reset();
        DepacketizeResult result = type switch
        {
            H265NalUnitType.Ap => UnpackAggregate(payload, timestamp),
            // PACI (50) and the types RFC 7798 leaves unspecified (51..63) are not errors, just not ours.
            >= H265NalUnitType.Paci => DepacketizeResult.Unsupported,
            _ => Emit(payload, timestamp),
        };
        return abandoned && result == DepacketizeResult.Ok ? DepacketizeResult.DroppedIncompleteUnit : result;
    }

    private DepacketizeResult Emit(ReadOnlySpan<byte> nalUnit, uint timestamp)
    {
        sink.OnNalUnit(nalUnit, timestamp);
        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackAggregate(ReadOnlySpan<byte> payload, uint timestamp)
    {
        // Validate every unit before emitting any, as for STAP-A.
        ReadOnlySpan<byte> units = payload[2..];
        if (!AggregationUnitReader.IsValid(units, 2))
        {
            return DepacketizeResult.Malformed;
        }

        var reader = new AggregationUnitReader(units, 2);
        while (reader.TryReadNext(out ReadOnlySpan<byte> nal))
        {
            sink.OnNalUnit(nal, timestamp);
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackFragment(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        // Payload header (2), FU header (1), and at least one byte of the fragment.
        if (payload.Length < 4)
        {
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        byte fuHeader = payload[2];
        int originalType = H265NalUnitType.OfFuHeader(fuHeader);
        if (originalType >= H265NalUnitType.Ap)
        {
            // An FU carries a NAL unit, never an AP, FU or PACI (RFC 7798 §4.4.3).
            _fragment.Reset();
            return DepacketizeResult.Malformed;
        }

        // NAL unit header: F and the LayerId's top bit from the payload header, the type from the
        // FU header, and the rest of LayerId and TID from the second payload header byte.
        byte first = (byte)((payload[0] & 0x81) | (originalType << 1));
        bool start = (fuHeader & 0x80) != 0;
        bool end = (fuHeader & 0x40) != 0;
        DepacketizeResult result = _fragment.Add([first, payload[1]], payload[3..], start, end, sequenceNumber, out bool complete);
        if (complete)
        {
            sink.OnNalUnit(_fragment.Content, timestamp);
        }

        return result;
    }
}
