using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>
/// The lost sequence numbers of a Generic NACK's PID/BLP pairs (RFC 4585 §6.2.1), enumerated
/// without allocating: each PID, then PID+i+1 for every bit i set in its BLP.
/// </summary>
public readonly ref struct NackList(ReadOnlySpan<byte> pairs)
{
    private readonly ReadOnlySpan<byte> _pairs = pairs;

    public Enumerator GetEnumerator() => new(_pairs);

    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _pairs;
        private int _pair;
        private int _bit;

        internal Enumerator(ReadOnlySpan<byte> pairs)
        {
            _pairs = pairs;
            _pair = -4;
            _bit = 16;
            Current = 0;
        }

        public ushort Current { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                if (_bit < 16)
                {
                    int bit = _bit++;
                    ushort blp = BinaryPrimitives.ReadUInt16BigEndian(_pairs[(_pair + 2)..]);
                    if ((blp & (1 << bit)) != 0)
                    {
                        Current = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_pairs[_pair..]) + bit + 1);
                        return true;
                    }

                    continue;
                }

                _pair += 4;
                if (_pair + 4 > _pairs.Length)
                {
                    return false;
                }

                _bit = 0;
                Current = BinaryPrimitives.ReadUInt16BigEndian(_pairs[_pair..]);
                return true;
            }
        }
    }
}
