using System.Buffers.Binary;

namespace MediaServer.Media.Formats.H264;

/// <summary>
/// RTP payload format for H.264 (RFC 6184), packetization modes 0 and 1: single NAL unit packets,
/// STAP-A and FU-A. NAL units go to the sink as they complete; a lost FU-A fragment drops the unit
/// it belonged to rather than passing a corrupt one on.
/// </summary>
public sealed class H264Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
{
    private const int StapA = 24;
    private const int StapB = 25;
    private const int Mtap16 = 26;
    private const int Mtap24 = 27;
    private const int FuA = 28;
    private const int FuB = 29;

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
        if (payload.IsEmpty)
        {
            return DepacketizeResult.Malformed;
        }

        int type = payload[0] & 0x1F;
        if (type != FuA && _fragment.IsOpen)
        {
            // A new unit began before the fragmented one ended: its end was lost.
            _fragment.Reset();
        }

        switch (type)
        {
            case 0 or 30 or 31:
                return DepacketizeResult.Malformed;
            case StapA:
                return UnpackStapA(payload, timestamp);
            case StapB or Mtap16 or Mtap24 or FuB:
                return DepacketizeResult.Unsupported;
            case FuA:
                return UnpackFuA(payload, sequenceNumber, timestamp);
            default:
                sink.OnNalUnit(payload, timestamp);
                return DepacketizeResult.Ok;
        }
    }

    private DepacketizeResult UnpackStapA(ReadOnlySpan<byte> payload, uint timestamp)
    {
        // Validate the whole aggregate before emitting anything from it.
        int offset = 1;
        while (offset < payload.Length)
        {
            if (offset + 2 > payload.Length)
            {
                return DepacketizeResult.Malformed;
            }

            int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
            offset += 2 + size;
            if (size == 0 || offset > payload.Length)
            {
                return DepacketizeResult.Malformed;
            }
        }

        if (offset == 1)
        {
            return DepacketizeResult.Malformed;
        }

        for (offset = 1; offset < payload.Length;)
        {
            int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
            sink.OnNalUnit(payload.Slice(offset + 2, size), timestamp);
            offset += 2 + size;
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult UnpackFuA(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp)
    {
        if (payload.Length < 3)
        {
            return DepacketizeResult.Malformed;
        }

        byte fuHeader = payload[1];
        bool start = (fuHeader & 0x80) != 0;
        bool end = (fuHeader & 0x40) != 0;
        ReadOnlySpan<byte> data = payload[2..];
        if (start)
        {
            DepacketizeResult replaced = _fragment.IsOpen ? DepacketizeResult.DroppedIncompleteUnit : DepacketizeResult.Ok;
            // The NAL header is rebuilt from the FU indicator (F, NRI) and the FU header (type).
            byte nalHeader = (byte)((payload[0] & 0xE0) | (fuHeader & 0x1F));
            if (!_fragment.Start([nalHeader], data, sequenceNumber))
            {
                return DepacketizeResult.UnitTooLarge;
            }

            if (replaced != DepacketizeResult.Ok)
            {
                return replaced;
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
