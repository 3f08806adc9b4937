using System.Buffers.Binary;
using System.Text;

namespace MediaServer.Media.Rtcp;

/// <summary>An SDES packet with one chunk and its CNAME item (RFC 3550 §6.5), as every compound needs.</summary>
public static class RtcpSourceDescription
{
    public static int WriteCname(Span<byte> destination, uint ssrc, string cname)
    {
        int nameLength = Math.Min(Encoding.ASCII.GetByteCount(cname), 255);
        // header 4 + SSRC 4 + type 1 + length 1 + name + at least one null, padded to 32 bits.
        int length = (4 + 4 + 2 + nameLength + 1 + 3) & ~3;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination cannot hold the RTCP SDES.", nameof(destination));
        }

        destination[..length].Clear();
        destination[0] = 0x81;
        destination[1] = (byte)RtcpPacketType.SourceDescription;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), ssrc);
        destination[8] = 1; // CNAME
        destination[9] = (byte)nameLength;
        Encoding.ASCII.GetBytes(cname.AsSpan(0, nameLength), destination.Slice(10, nameLength));
        return length;
    }
}
