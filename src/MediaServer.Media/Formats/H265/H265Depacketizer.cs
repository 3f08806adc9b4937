using System.Buffers.Binary;

namespace MediaServer.Media.Formats.H265;

/// <summary>
/// RTP payload format for H.265 (RFC 7798) without DONL (sprop-max-don-diff = 0, what cameras
/// and ffmpeg send): single NAL unit packets, aggregation packets (AP) and fragmentation units (FU).
/// </summary>
public sealed class H265Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
{
    private const int Ap = 48;
    private const int Fu = 49;
    private const int Paci = 50;

    private readonly FragmentBuffer _fragment = new(maxNalUnitSize);

    public DepacketizeResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        DepacketizeResult result = Unpack(payload, sequenceNumber, timestamp);
        if (marker)
        {
            sink.OnAccessUnitEnd(timestamp);
        }

        return result;
    }

    private DepacketizeResult Unpack(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        if (payload.Length < 3 || (payload[0] & 0x80) != 0)
        {
            return DepacketizeResult.Malformed;
        }

        int type = (payload[0] >> 1) & 0x3F;
        if (type != Fu && _fragment.IsOpen)
        {
            _fragment.Reset();
        }

        switch (type)
        {
            case Ap:
                return UnpackAggregate(payload, timestamp);
            case Fu:
                return UnpackFragment(payload, sequenceNumber, timestamp);
            case Paci:
                return DepacketizeResult.Unsupported;
            case > Paci:
                return DepacketizeResult.Malformed;
            default:
                sink.OnNalUnit(payload, timestamp);
                return DepacketizeResult.Ok;
        }
    }

    private DepacketizeResult UnpackAggregate(ReadOnlySpan<byte> payload, uint timestamp)
    {
        int offset = 2;
        int units = 0;
        while (offset < payload.Length)
        {
            if (offset + 2 > payload.Length)
            {
                return DepacketizeResult.Malformed;
            }

            int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
            offset += 2 + size;
            if (size < 2 || offset > payload.Length)
            {
                return DepacketizeResult.Malformed;
            }

            units++;
        }

        if (units == 0)
        {
            return DepacketizeResult.Malformed;
        }

        for (offset = 2; offset < payload.Length;)
        {
            int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
            sink.OnNalUnit(payload.Slice(offset + 2, size), timestamp);
            offset += 2 + size;
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackFragment(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        if (payload.Length < 4)
        {
            return DepacketizeResult.Malformed;
        }

        byte fuHeader = payload[2];
        bool start = (fuHeader & 0x80) != 0;
        bool end = (fuHeader & 0x40) != 0;
        ReadOnlySpan<byte> data = payload[3..];
        if (start)
        {
            bool replaced = _fragment.IsOpen;
            // NAL header: F and LayerId high bit from the payload header, the type from the FU header.
            byte first = (byte)((payload[0] & 0x81) | ((fuHeader & 0x3F) << 1));
            if (!_fragment.Start([first, payload[1]], data, sequenceNumber))
            {
                return DepacketizeResult.UnitTooLarge;
            }

            if (replaced)
            {
                return DepacketizeResult.DroppedIncompleteUnit;
            }
        }
        else
        {
            if (!_fragment.IsOpen)
            {
                return DepacketizeResult.DroppedFragment;
            }

            if (sequenceNumber != _fragment.NextSequenceNumber)
            {
                _fragment.Reset();
                return DepacketizeResult.DroppedIncompleteUnit;
            }

            if (!_fragment.Continue(data, sequenceNumber))
            {
                return DepacketizeResult.UnitTooLarge;
            }
        }

        if (end)
        {
            sink.OnNalUnit(_fragment.Content, timestamp);
            _fragment.Reset();
        }

        return DepacketizeResult.Ok;
    }
}
