using MediaServer.Media.Rtcp;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// A compound RTCP datagram from a browser or camera: the compound walk, then each packet through
/// the SR, RR, BYE and feedback (NACK, PLI, FIR) readers. Every packet handed out must lie inside
/// the datagram, and every count must fit the packet it came from.
/// </summary>
public static class RtcpTarget
{
    public static FuzzTarget Target { get; } = new(
        "rtcp",
        "RtcpCompoundReader, RtcpSenderReport, RtcpReceiverReport, RtcpGoodbye, RtcpFeedback (NACK/PLI/FIR), NackList",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        var reader = new RtcpCompoundReader(data);
        int consumed = 0;
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[RtcpReceiverReport.MaxReportBlocks];
        Span<uint> sources = stackalloc uint[31];
        while (reader.TryReadNext(out RtcpPacketType type, out int countOrFormat, out ReadOnlySpan<byte> packet))
        {
            InvariantViolationException.Unless(packet.Length >= 4 && packet.Length % 4 == 0 && consumed + packet.Length <= data.Length, "an RTCP packet outside its datagram");
            InvariantViolationException.Unless((byte)type == data[consumed + 1] && countOrFormat == (data[consumed] & 0x1F), "RTCP header fields disagree with the bytes");
            consumed += packet.Length;
            ReadPacket(packet, blocks, sources);
        }

        InvariantViolationException.Unless(reader.IsMalformed ? consumed < data.Length : consumed == data.Length, "the compound walk lost bytes");
    }

    private static void ReadPacket(ReadOnlySpan<byte> packet, Span<RtcpReportBlock> blocks, Span<uint> sources)
    {
        if (RtcpSenderReport.TryParse(packet, out RtcpSenderReport report))
        {
            InvariantViolationException.Unless(packet.Length >= RtcpSenderReport.Length, "an SR shorter than its sender info");
            _ = report;
        }

        if (RtcpReceiverReport.TryParse(packet, out _, blocks, out int blockCount))
        {
            InvariantViolationException.Unless(blockCount == (packet[0] & 0x1F) && RtcpReceiverReport.GetLength(blockCount) <= packet.Length, "RR blocks past the packet");
        }

        if (RtcpGoodbye.TryParse(packet, sources, out int sourceCount))
        {
            InvariantViolationException.Unless(4 + (sourceCount * 4) <= packet.Length, "BYE sources past the packet");
        }

        if (RtcpFeedback.TryParseGenericNack(packet, out _, out NackList lost))
        {
            int pairs = (packet.Length - 12) / 4;
            int count = 0;
            foreach (ushort sequenceNumber in lost)
            {
                _ = sequenceNumber;
                count++;
            }

            InvariantViolationException.Unless(count >= pairs && count <= pairs * 17, $"{count} NACKed packets from {pairs} PID/BLP pairs");
        }

        _ = RtcpFeedback.TryParsePictureLoss(packet, out _);
        _ = RtcpFeedback.TryParseFullIntraRequest(packet, out _);
    }

    private static IEnumerable<byte[]> Seeds()
    {
        byte[] buffer = new byte[256];

        // SR + SDES CNAME: what every sender's compound starts with (RFC 3550 §6.1).
        int length = new RtcpSenderReport(0x1A2B3C4D, 0xE5B6_0C4A_8000_0000, 90000, 100, 120000).WriteTo(buffer);
        length += RtcpSourceDescription.WriteCname(buffer.AsSpan(length), 0x1A2B3C4D, "mediaserver");
        yield return buffer[..length];

        // RR with two report blocks + BYE.
        RtcpReportBlock[] reports = [new(1, 25, 7, 65600, 12, 0x11223344, 655), new(2, 0, -3, 4, 0, 0, 0)];
        length = RtcpReceiverReport.Write(buffer, 0xCAFEBABE, reports);
        length += RtcpGoodbye.Write(buffer.AsSpan(length), 0xCAFEBABE);
        yield return buffer[..length];

        // NACK for 1000, 1001, 1005 and 1017, then PLI and FIR (RFC 4585 §6.2.1, §6.3.1; RFC 5104 §4.3.1).
        length = RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 0x1A2B3C4D, [1000, 1001, 1005, 1017]);
        length += RtcpFeedbackWriter.WritePictureLoss(buffer.AsSpan(length), 1, 0x1A2B3C4D);
        length += RtcpFeedbackWriter.WriteFullIntraRequest(buffer.AsSpan(length), 1, 0x1A2B3C4D, 7);
        yield return buffer[..length];
    }
}
