namespace MediaServer.Media.Formats;

/// <summary>
/// Reads the first bits of a NAL unit's payload (H.264 §7.2, H.265 §7.2) as the decoder sees
/// them: emulation-prevention bytes (the 0x03 of 0x000003) are skipped. Only what slice and
/// parameter-set headers need: fixed-width fields and unsigned exp-Golomb codes. Running past the
/// end makes every later read fail instead of throwing.
/// </summary>
internal ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _index;
    private int _zeros;
    private int _current;
    private int _bitsLeft;

    /// <param name="data">The bytes after the NAL unit header.</param>
    public RbspBitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public bool TryReadBit(out int bit)
    {
        if (_bitsLeft == 0 && !TryLoadByte())
        {
            bit = 0;
            return false;
        }

        _bitsLeft--;
        bit = (_current >> _bitsLeft) & 1;
        return true;
    }

    public bool TryReadBits(int count, out uint value)
    {
        value = 0;
        for (int i = 0; i < count; i++)
        {
            if (!TryReadBit(out int bit))
            {
                return false;
            }

            value = (value << 1) | (uint)bit;
        }

        return true;
    }

    public bool TrySkipBits(int count) => TryReadBits(count, out _);

    /// <summary>ue(v): leading zeros, a one, then as many bits again; at most 32 bits of value.</summary>
    public bool TryReadUnsignedExpGolomb(out uint value)
    {
        value = 0;
        int leadingZeros = 0;
        while (true)
        {
            if (!TryReadBit(out int bit))
            {
                return false;
            }

            if (bit == 1)
            {
                break;
            }

            if (++leadingZeros > 31)
            {
                return false;
            }
        }

        if (!TryReadBits(leadingZeros, out uint suffix))
        {
            return false;
        }

        value = (uint)((1UL << leadingZeros) - 1 + suffix);
        return true;
    }

    private bool TryLoadByte()
    {
        if (_index < _data.Length && _zeros >= 2 && _data[_index] == 0x03)
        {
            _index++;
            _zeros = 0;
        }

        if (_index >= _data.Length)
        {
            return false;
        }

        _current = _data[_index++];
        _zeros = _current == 0 ? _zeros + 1 : 0;
        _bitsLeft = 8;
        return true;
    }
}
