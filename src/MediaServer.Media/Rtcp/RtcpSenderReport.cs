using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>The sender info of an RTCP SR (RFC 3550 §6.4.1): which wall-clock time an RTP timestamp is.</summary>
public readonly record struct RtcpSenderReport(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    public const int Length = 28;

    /// <summary>Reads the sender info of an SR; its report blocks, if any, are left unread.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpSenderReport report)
    {
        report = default;
        if (packet.Length < Length || packet[0] >> 6 != 2 || packet[1] != (byte)RtcpPacketType.SenderReport)
        {
            return false;
        }

        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(8, 8)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(20, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(24, 4)));
        return true;
    }

    /// <summary>Writes an SR with no report blocks; returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("The destination cannot hold an RTCP SR.", nameof(destination));
        }

        destination[0] = 0x80;
        destination[1] = (byte)RtcpPacketType.SenderReport;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), (Length / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8, 8), NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20, 4), PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24, 4), OctetCount);
        return Length;
    }
}
