using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>Walks the packets of a compound RTCP datagram (RFC 3550 §6.1) without copying.</summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtcpCompoundReader(ReadOnlySpan<byte> compound) => _remaining = compound;

    /// <summary>True once reading stopped at a packet whose header or length was invalid.</summary>
    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out RtcpPacketType type, out int countOrFormat, out ReadOnlySpan<byte> packet)
    {
        type = default;
        countOrFormat = 0;
        packet = default;
        if (_remaining.IsEmpty)
        {
            return false;
        }

        if (_remaining.Length < 4 || _remaining[0] >> 6 != 2)
        {
            IsMalformed = true;
            _remaining = default;
            return false;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(_remaining.Slice(2, 2)) + 1) * 4;
        if (length > _remaining.Length)
        {
            IsMalformed = true;
            _remaining = default;
            return false;
        }

        countOrFormat = _remaining[0] & 0x1F;
        type = (RtcpPacketType)_remaining[1];
        packet = _remaining[..length];
        _remaining = _remaining[length..];
        return true;
    }
}
