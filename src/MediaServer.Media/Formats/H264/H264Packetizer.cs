namespace MediaServer.Media.Formats.H264;

/// <summary>
/// Splits one H.264 NAL unit into RTP payloads of at most <c>maxPayloadSize</c> bytes (RFC 6184
/// mode 1): a single NAL unit packet when it fits, FU-A fragments otherwise. Payloads are written
/// into a caller buffer one at a time, so nothing is allocated.
/// </summary>
public sealed class H264Packetizer(int maxPayloadSize = 1200)
{
    /// <summary>Payloads the NAL unit needs.</summary>
    public int PayloadCount(int nalUnitLength) =>
        nalUnitLength <= maxPayloadSize ? 1 : (nalUnitLength - 1 + (maxPayloadSize - 2) - 1) / (maxPayloadSize - 2);

    /// <summary>Writes payload <paramref name="index"/> of the NAL unit; returns its length.</summary>
    public int WritePayload(ReadOnlySpan<byte> nalUnit, int index, Span<byte> destination)
    {
        if (nalUnit.IsEmpty)
        {
            throw new ArgumentException("Empty NAL unit.", nameof(nalUnit));
        }

        if (nalUnit.Length <= maxPayloadSize)
        {
            nalUnit.CopyTo(destination);
            return nalUnit.Length;
        }

        int chunk = maxPayloadSize - 2;
        ReadOnlySpan<byte> body = nalUnit[1..];
        int start = index * chunk;
        int length = Math.Min(chunk, body.Length - start);
        bool first = index == 0;
        bool last = start + length == body.Length;
        destination[0] = (byte)((nalUnit[0] & 0xE0) | 28); // FU indicator: F, NRI, type FU-A
        destination[1] = (byte)((first ? 0x80 : 0) | (last ? 0x40 : 0) | (nalUnit[0] & 0x1F));
        body.Slice(start, length).CopyTo(destination[2..]);
        return length + 2;
    }
}
