using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Rtcp;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Fuzzing.Tests.Rtcp;

/// <summary>
/// RTCP (RFC 3550 §6, RFC 4585 §6): every report and feedback message the server writes reads
/// back unchanged, a compound of them walks packet by packet, and anything else is refused or
/// read without stepping outside the datagram.
/// </summary>
public class RtcpProperties
{
    private static readonly List<byte[]> Seeds = RtcpTarget.Target.Seeds().ToList();

    private static readonly Gen<RtcpReportBlock> Blocks =
        Gen.Select(Gen.UInt, Gen.Byte, Gen.Int[-0x800000, 0x7FFFFF], Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt)
            .Select((ssrc, fraction, lost, highest, jitter, lsr, dlsr) => new RtcpReportBlock(ssrc, fraction, lost, highest, jitter, lsr, dlsr));

    [Fact]
    public void Sender_reports_read_back_unchanged() =>
        Gen.Select(Gen.UInt, Gen.ULong, Gen.UInt, Gen.UInt, Gen.UInt).Sample((ssrc, ntp, rtp, packets, octets) =>
        {
            var report = new RtcpSenderReport(ssrc, ntp, rtp, packets, octets);
            byte[] buffer = new byte[RtcpSenderReport.Length];
            report.WriteTo(buffer);
            Assert.True(RtcpSenderReport.TryParse(buffer, out RtcpSenderReport parsed));
            Assert.Equal(report, parsed);
            Assert.Equal(PacketKind.Rtcp, PacketClassifier.Classify(buffer));
        }, iter: Budget.Cheap);

    [Fact]
    public void Receiver_reports_read_back_unchanged() =>
        Gen.Select(Gen.UInt, Blocks.Array[0, RtcpReceiverReport.MaxReportBlocks]).Sample((sender, blocks) =>
        {
            byte[] buffer = new byte[RtcpReceiverReport.GetLength(blocks.Length)];
            Assert.Equal(buffer.Length, RtcpReceiverReport.Write(buffer, sender, blocks));
            Span<RtcpReportBlock> parsed = new RtcpReportBlock[RtcpReceiverReport.MaxReportBlocks];
            Assert.True(RtcpReceiverReport.TryParse(buffer, out uint parsedSender, parsed, out int count));
            Assert.Equal(sender, parsedSender);
            Assert.Equal(blocks, parsed[..count].ToArray());
        }, iter: Budget.Cheap);

    [Fact]
    public void A_generic_nack_lists_exactly_the_lost_packets_it_was_written_for() =>
        Gen.Select(Gen.UShort, Gen.Int[1, 40].Array[1, 40]).Sample((first, gaps) =>
        {
            // Ascending and unique in RTP's circular order, wrapping past 65535 when it comes to it.
            var lost = new ushort[gaps.Length];
            ushort next = first;
            for (int i = 0; i < gaps.Length; i++)
            {
                lost[i] = next;
                next = (ushort)(next + gaps[i]);
            }

            byte[] buffer = new byte[12 + (4 * lost.Length)];
            int length = RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 0xCAFE, lost);
            Assert.True(length > 0);
            Assert.True(RtcpFeedback.TryParseGenericNack(buffer.AsSpan(0, length), out uint media, out NackList list));
            Assert.Equal(0xCAFEu, media);
            var read = new List<ushort>();
            foreach (ushort sequenceNumber in list)
            {
                read.Add(sequenceNumber);
            }

            Assert.Equal(lost, read);
        }, iter: Budget.Cheap);

    [Fact]
    public void A_compound_of_written_packets_walks_packet_by_packet() =>
        Gen.Int[0, 4].Array[1, 8].Sample(kinds =>
        {
            byte[] buffer = new byte[2048];
            int length = 0;
            var expected = new List<RtcpPacketType>();
            foreach (int kind in kinds)
            {
                Span<byte> at = buffer.AsSpan(length);
                (length, RtcpPacketType type) = kind switch
                {
                    0 => (length + new RtcpSenderReport(1, 2, 3, 4, 5).WriteTo(at), RtcpPacketType.SenderReport),
                    1 => (length + RtcpReceiverReport.Write(at, 1, [new RtcpReportBlock(2, 3, 4, 5, 6, 7, 8)]), RtcpPacketType.ReceiverReport),
                    2 => (length + RtcpSourceDescription.WriteCname(at, 1, "cname"), RtcpPacketType.SourceDescription),
                    3 => (length + RtcpFeedbackWriter.WritePictureLoss(at, 1, 2), RtcpPacketType.PayloadFeedback),
                    _ => (length + RtcpGoodbye.Write(at, 1), RtcpPacketType.Goodbye),
                };
                expected.Add(type);
            }

            var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
            var read = new List<RtcpPacketType>();
            while (reader.TryReadNext(out RtcpPacketType type, out _, out _))
            {
                read.Add(type);
            }

            Assert.False(reader.IsMalformed);
            Assert.Equal(expected, read);
            RtcpTarget.Run(buffer.AsSpan(0, length));
        }, iter: Budget.Cheap);

    [Fact]
    public void Arbitrary_bytes_are_refused_or_read_inside_the_datagram() =>
        Gen.Byte.Array[0, 120].Sample(bytes => RtcpTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_compounds_are_refused_or_read_inside_the_datagram() =>
        Mutations.Bytes(Seeds).Sample(bytes => RtcpTarget.Run(bytes), iter: Budget.Cheap);
}
