using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>
/// RTCP feedback messages (RFC 4585 §6.1) a media receiver sends: Generic NACK (RTPFB, FMT 1),
/// Picture Loss Indication (PSFB, FMT 1) and Full Intra Request (PSFB, FMT 4, RFC 5104 §4.3.1).
/// Each packet is: header, sender SSRC, media source SSRC, then its feedback control information.
/// </summary>
public static class RtcpFeedback
{
    public const int GenericNackFormat = 1;
    public const int PliFormat = 1;
    public const int FirFormat = 4;
    private const int CommonLength = 12;

    /// <summary>Reads a Generic NACK: its media SSRC and the lost packets it lists.</summary>
    public static bool TryParseGenericNack(ReadOnlySpan<byte> packet, out uint mediaSsrc, out NackList lost)
    {
        mediaSsrc = 0;
        lost = default;
        if (!IsFeedback(packet, RtcpPacketType.TransportFeedback, GenericNackFormat) || packet.Length < CommonLength + 4 || (packet.Length & 3) != 0)
        {
            return false;
        }

        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        lost = new NackList(packet[CommonLength..]);
        return true;
    }

    /// <summary>True for a PLI; gives the SSRC of the picture that was lost.</summary>
    public static bool TryParsePictureLoss(ReadOnlySpan<byte> packet, out uint mediaSsrc)
    {
        mediaSsrc = 0;
        if (!IsFeedback(packet, RtcpPacketType.PayloadFeedback, PliFormat) || packet.Length < CommonLength)
        {
            return false;
        }

        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        return true;
    }

    /// <summary>True for a FIR with at least one entry; gives the SSRC of its first entry.</summary>
    public static bool TryParseFullIntraRequest(ReadOnlySpan<byte> packet, out uint mediaSsrc)
    {
        mediaSsrc = 0;
        if (!IsFeedback(packet, RtcpPacketType.PayloadFeedback, FirFormat) || packet.Length < CommonLength + 8)
        {
            return false;
        }

        // RFC 5104 §4.3.1.2: the media source SSRC field is unused; the FCI entries name the SSRCs.
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[CommonLength..]);
        return true;
    }

    /// <summary>
    /// Writes a Generic NACK for <paramref name="lost"/> (ascending, unique), packing each run
    /// into as few PID/BLP pairs as possible; returns its length, or 0 if it does not fit.
    /// </summary>
    public static int WriteGenericNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        int offset = CommonLength;
        int i = 0;
        while (i < lost.Length)
        {
            if (destination.Length < offset + 4)
            {
                return 0;
            }

            ushort pid = lost[i++];
            ushort blp = 0;
            while (i < lost.Length && (ushort)(lost[i] - pid) is >= 1 and <= 16)
            {
                blp |= (ushort)(1 << ((ushort)(lost[i] - pid) - 1));
                i++;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], blp);
            offset += 4;
        }

        WriteCommon(destination, RtcpPacketType.TransportFeedback, GenericNackFormat, offset, senderSsrc, mediaSsrc);
        return offset;
    }

    public static int WritePictureLoss(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        WriteCommon(destination, RtcpPacketType.PayloadFeedback, PliFormat, CommonLength, senderSsrc, mediaSsrc);
        return CommonLength;
    }

    public static int WriteFullIntraRequest(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte sequenceNumber)
    {
        WriteCommon(destination, RtcpPacketType.PayloadFeedback, FirFormat, CommonLength + 8, senderSsrc, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[CommonLength..], mediaSsrc);
        destination[CommonLength + 4] = sequenceNumber;
        destination.Slice(CommonLength + 5, 3).Clear();
        return CommonLength + 8;
    }

    private static bool IsFeedback(ReadOnlySpan<byte> packet, RtcpPacketType type, int format) =>
        packet.Length >= CommonLength && packet[0] >> 6 == 2 && (packet[0] & 0x1F) == format && packet[1] == (byte)type;

    private static void WriteCommon(Span<byte> destination, RtcpPacketType type, int format, int length, uint senderSsrc, uint mediaSsrc)
    {
        destination[0] = (byte)(0x80 | format);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }
}
