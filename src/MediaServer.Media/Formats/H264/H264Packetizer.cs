namespace MediaServer.Media.Formats.H264;

/// <summary>
/// Splits one H.264 NAL unit (without start code) into RTP payloads of at most
/// <c>maxPayloadSize</c> bytes, RFC 6184 packetization mode 1: a single NAL unit packet when it
/// fits, FU-A fragments otherwise. Two zero-allocation ways to use it: <see cref="WritePayload"/>
/// writes payload i straight into the caller's packet buffer (after its RTP header), and
/// <see cref="Packetize"/> hands each payload to a sink from one buffer reused for every call.
/// One instance per track, one caller at a time.
/// </summary>
public sealed class H264Packetizer(int maxPayloadSize = 1200)
{
    // FU indicator + FU header + at least one byte of the NAL unit.
    private const int FuAOverhead = 2;

    private readonly int _maxPayloadSize = maxPayloadSize > FuAOverhead
        ? maxPayloadSize
        : throw new ArgumentOutOfRangeException(nameof(maxPayloadSize), "An FU-A needs room for its two header bytes and some data.");

    private byte[]? _scratch;

    public int MaxPayloadSize => _maxPayloadSize;

    /// <summary>Payloads the NAL unit needs: 1 when it fits, else the FU-A count; 0 for an empty unit.</summary>
    public int PayloadCount(int nalUnitLength)
    {
        if (nalUnitLength <= 0)
        {
            return 0;
        }

        if (nalUnitLength <= _maxPayloadSize)
        {
            return 1;
        }

        // The NAL unit header is not repeated: it travels in the FU indicator and FU header.
        int chunk = _maxPayloadSize - FuAOverhead;
        return (nalUnitLength - 1 + chunk - 1) / chunk;
    }

    /// <summary>
    /// Writes payload <paramref name="index"/> of the NAL unit into <paramref name="destination"/>
    /// (which must hold <see cref="MaxPayloadSize"/> bytes); returns its length, or 0 when the unit
    /// is empty or has no such payload.
    /// </summary>
    public int WritePayload(ReadOnlySpan<byte> nalUnit, int index, Span<byte> destination)
    {
        int count = PayloadCount(nalUnit.Length);
        if ((uint)index >= (uint)count)
        {
            return 0;
        }

        if (count == 1)
        {
            Require(destination, nalUnit.Length);
            nalUnit.CopyTo(destination);
            return nalUnit.Length;
        }

        int chunk = _maxPayloadSize - FuAOverhead;
        ReadOnlySpan<byte> body = nalUnit[1..];
        int start = index * chunk;
        int length = Math.Min(chunk, body.Length - start);
        Require(destination, length + FuAOverhead);
        byte nalHeader = nalUnit[0];
        destination[0] = (byte)((nalHeader & 0xE0) | H264NalUnitType.FuA); // FU indicator: F and NRI of the unit
        destination[1] = (byte)((index == 0 ? 0x80 : 0) | (index == count - 1 ? 0x40 : 0) | H264NalUnitType.Of(nalHeader)); // S, E, type
        body.Slice(start, length).CopyTo(destination[FuAOverhead..]);
        return length + FuAOverhead;
    }

    /// <summary>
    /// Hands every payload of the NAL unit to <paramref name="sink"/>, with the marker bit on the
    /// last one when <paramref name="endOfAccessUnit"/> says the unit ends its picture; returns the count.
    /// </summary>
    public int Packetize(ReadOnlySpan<byte> nalUnit, IRtpPayloadSink sink, bool endOfAccessUnit)
    {
        int count = PayloadCount(nalUnit.Length);
        if (count == 1)
        {
            // Fits as it is: no copy.
            sink.OnPayload(nalUnit, endOfAccessUnit);
            return 1;
        }

        _scratch ??= new byte[_maxPayloadSize];
        for (int i = 0; i < count; i++)
        {
            int length = WritePayload(nalUnit, i, _scratch);
            sink.OnPayload(_scratch.AsSpan(0, length), endOfAccessUnit && i == count - 1);
        }

        return count;
    }

    private static void Require(Span<byte> destination, int length)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination cannot hold the payload.", nameof(destination));
        }
    }
}
