using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>RTCP BYE (RFC 3550 §6.6): the listed sources are leaving the session.</summary>
public static class RtcpGoodbye
{
    /// <summary>Length of a BYE for one source without a reason.</summary>
    public const int SingleSourceLength = 8;

    /// <summary>Writes a BYE for one source and no reason; returns its length (8).</summary>
    public static int Write(Span<byte> destination, uint ssrc)
    {
        if (destination.Length < SingleSourceLength)
        {
            throw new ArgumentException("The destination cannot hold an RTCP BYE.", nameof(destination));
        }

        destination[0] = 0x81; // V=2, no padding, SC=1
        destination[1] = (byte)RtcpPacketType.Goodbye;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (SingleSourceLength / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        return SingleSourceLength;
    }

    /// <summary>
    /// Reads the SSRC/CSRC list of a BYE into <paramref name="sources"/>; false when the packet is not
    /// a BYE, its source count runs past its end, or <paramref name="sources"/> is too small.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, Span<uint> sources, out int sourceCount)
    {
        sourceCount = 0;
        if (packet.Length < 4 || packet[0] >> 6 != 2 || packet[1] != (byte)RtcpPacketType.Goodbye)
        {
            return false;
        }

        int count = packet[0] & 0x1F;
        if (4 + (count * 4) > packet.Length || count > sources.Length)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            sources[i] = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4 + (i * 4), 4));
        }

        sourceCount = count;
        return true;
    }
}
