using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>
/// Writes the RTCP feedback a media receiver sends (RFC 4585 §6.1, RFC 5104 §4.3.1): Generic NACK,
/// Picture Loss Indication and Full Intra Request. The server writes NACK and PLI to a WHIP
/// publisher; test clients, fuzz seeds and benchmarks write all three.
/// </summary>
public static class RtcpFeedbackWriter
{
    private const int CommonLength = 12;

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

        WriteCommon(destination, RtcpPacketType.TransportFeedback, RtcpFeedback.GenericNackFormat, offset, senderSsrc, mediaSsrc);
        return offset;
    }

    public static int WritePictureLoss(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        WriteCommon(destination, RtcpPacketType.PayloadFeedback, RtcpFeedback.PliFormat, CommonLength, senderSsrc, mediaSsrc);
        return CommonLength;
    }

    public static int WriteFullIntraRequest(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte sequenceNumber)
    {
        // RFC 5104 §4.3.1.2: the media source SSRC field stays 0; the FCI entry names the SSRC.
        WriteCommon(destination, RtcpPacketType.PayloadFeedback, RtcpFeedback.FirFormat, CommonLength + 8, senderSsrc, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[CommonLength..], mediaSsrc);
        destination[CommonLength + 4] = sequenceNumber;
        destination.Slice(CommonLength + 5, 3).Clear();
        return CommonLength + 8;
    }

    private static void WriteCommon(Span<byte> destination, RtcpPacketType type, int format, int length, uint senderSsrc, uint mediaSsrc)
    {
        destination[0] = (byte)(0x80 | format);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }
}
