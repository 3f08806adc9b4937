using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>RTCP receiver reports (RFC 3550 §6.4.2): what the server tells a publisher about its reception.</summary>
public static class RtcpReceiverReport
{
    /// <summary>The 5-bit reception report count caps the blocks one packet can carry.</summary>
    public const int MaxReportBlocks = 31;

    private const int BlockLength = 24;

    /// <summary>The length of an RR with that many report blocks.</summary>
    public static int GetLength(int blockCount) => 8 + (blockCount * BlockLength);

    /// <summary>Writes an RR from the reporter <paramref name="senderSsrc"/>; returns its length.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        if (blocks.Length > MaxReportBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), "An RTCP RR carries at most 31 report blocks.");
        }

        int length = GetLength(blocks.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination cannot hold the RTCP RR.", nameof(destination));
        }

        destination[0] = (byte)(0x80 | blocks.Length);
        destination[1] = (byte)RtcpPacketType.ReceiverReport;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), senderSsrc);
        for (int i = 0; i < blocks.Length; i++)
        {
            Span<byte> block = destination.Slice(8 + (i * BlockLength), BlockLength);
            RtcpReportBlock b = blocks[i];
            BinaryPrimitives.WriteUInt32BigEndian(block, b.Ssrc);
            // Cumulative loss is a signed 24-bit field, clamped as RFC 3550 A.3 says.
            int lost = Math.Clamp(b.CumulativeLost, -0x800000, 0x7FFFFF);
            BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)b.FractionLost << 24) | ((uint)lost & 0xFFFFFF));
            BinaryPrimitives.WriteUInt32BigEndian(block[8..], b.ExtendedHighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(block[12..], b.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(block[16..], b.LastSenderReport);
            BinaryPrimitives.WriteUInt32BigEndian(block[20..], b.DelaySinceLastSenderReport);
        }

        return length;
    }

    /// <summary>
    /// Reads an RR; false when the packet is not an RR, its blocks run past its end, or
    /// <paramref name="blocks"/> cannot hold them all.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out uint senderSsrc, Span<RtcpReportBlock> blocks, out int blockCount)
    {
        senderSsrc = 0;
        blockCount = 0;
        if (packet.Length < 8 || packet[0] >> 6 != 2 || packet[1] != (byte)RtcpPacketType.ReceiverReport)
        {
            return false;
        }

        int count = packet[0] & 0x1F;
        if (packet.Length < 8 + (count * BlockLength) || count > blocks.Length)
        {
            return false;
        }

        senderSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4));
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> block = packet.Slice(8 + (i * BlockLength), BlockLength);
            uint word = BinaryPrimitives.ReadUInt32BigEndian(block[4..]);
            int lost = (int)(word << 8) >> 8;
            blocks[i] = new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(block),
                (byte)(word >> 24),
                lost,
                BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
        }

        blockCount = count;
        return true;
    }
}
