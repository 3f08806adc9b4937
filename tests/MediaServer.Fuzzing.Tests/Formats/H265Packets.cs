namespace MediaServer.Fuzzing.Tests.Formats;

/// <summary>
/// H.265 RTP payloads built by hand from RFC 7798 (the product has no H.265 packetizer, only a
/// depacketizer and a repacketizer): single NAL unit packets, aggregation packets (§4.4.2) and
/// fragmentation units (§4.4.3).
/// </summary>
internal static class H265Packets
{
    private const int Ap = 48;
    private const int Fu = 49;

    public static int Type(byte[] unit) => (unit[0] >> 1) & 0x3F;

    /// <summary>The unit as it is when it fits, else FUs of at most <paramref name="maxPayloadSize"/> bytes.</summary>
    public static IEnumerable<byte[]> Packetize(byte[] unit, int maxPayloadSize)
    {
        if (unit.Length <= maxPayloadSize)
        {
            yield return unit;
            yield break;
        }

        // Payload header: F and LayerId/TID of the unit, type FU; then the FU header; then a piece.
        int chunk = maxPayloadSize - 3;
        byte[] body = unit[2..];
        for (int offset = 0; offset < body.Length; offset += chunk)
        {
            bool start = offset == 0;
            bool end = offset + chunk >= body.Length;
            byte fuHeader = (byte)((start ? 0x80 : 0) | (end ? 0x40 : 0) | Type(unit));
            yield return [(byte)((unit[0] & 0x81) | (Fu << 1)), unit[1], fuHeader, .. body.AsSpan(offset, Math.Min(chunk, body.Length - offset))];
        }
    }

    /// <summary>One AP carrying all <paramref name="units"/>, each with its 16-bit size.</summary>
    public static byte[] Aggregate(IEnumerable<byte[]> units)
    {
        var ap = new List<byte> { Ap << 1, 0x01 };
        foreach (byte[] unit in units)
        {
            ap.Add((byte)(unit.Length >> 8));
            ap.Add((byte)unit.Length);
            ap.AddRange(unit);
        }

        return [.. ap];
    }

    /// <summary>NAL units of the VCL and SEI types (0..31, 39, 40), with a valid two-byte header.</summary>
    public static Gen<byte[]> Units(int maxBody) =>
        Gen.Select(Gen.OneOf(Gen.Int[0, 31], Gen.OneOf(39, 40)), Gen.Int[1, 7], Gen.Byte.Array[1, maxBody],
            (type, tid, body) => (byte[])[(byte)(type << 1), (byte)tid, .. body]);
}
