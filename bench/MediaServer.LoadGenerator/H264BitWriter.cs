namespace MediaServer.LoadGenerator;

/// <summary>
/// Writes the bit fields of H.264 headers (ITU-T H.264 7.2): fixed-width u(n), Exp-Golomb ue(v)
/// and se(v). Used once, at start-up, to build the synthetic camera's parameter sets and slice
/// headers from named fields instead of opaque bytes.
/// </summary>
internal sealed class H264BitWriter
{
    private readonly List<byte> _bytes = [];
    private int _bitCount;

    public int BitCount => _bitCount;

    public H264BitWriter U(int width, uint value)
    {
        for (int bit = width - 1; bit >= 0; bit--)
        {
            Bit((int)(value >> bit) & 1);
        }

        return this;
    }

    public H264BitWriter Ue(uint value)
    {
        uint codeNum = value + 1;
        int length = 32 - (int)uint.LeadingZeroCount(codeNum);
        U(length - 1, 0);
        return U(length, codeNum);
    }

    public H264BitWriter Se(int value) => Ue(value > 0 ? (uint)(2 * value - 1) : (uint)(-2 * value));

    /// <summary>rbsp_trailing_bits: a one, then zeros to the byte boundary.</summary>
    public H264BitWriter TrailingBits()
    {
        Bit(1);
        while (_bitCount % 8 != 0)
        {
            Bit(0);
        }

        return this;
    }

    /// <summary>The bits written, the last byte padded with zeros.</summary>
    public byte[] ToArray() => [.. _bytes];

    private void Bit(int bit)
    {
        if (_bitCount % 8 == 0)
        {
            _bytes.Add(0);
        }

        if (bit != 0)
        {
            _bytes[^1] |= (byte)(0x80 >> (_bitCount % 8));
        }

        _bitCount++;
    }
}
