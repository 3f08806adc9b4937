using MediaServer.Core.Egress;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;

namespace MediaServer.Core.Tests.Egress;

public class RtpSenderTests
{
    [Fact]
    public void Sequence_numbers_follow_each_other_and_wrap()
    {
        var sender = new RtpSender(0x11223344, 65534);

        Assert.Equal(65534, sender.TakeSequenceNumber());
        Assert.Equal(65535, sender.TakeSequenceNumber());
        Assert.Equal(0, sender.TakeSequenceNumber());
        Assert.Equal(1, sender.NextSequenceNumber);
        Assert.Equal(0x11223344u, sender.Ssrc);
    }

    [Fact]
    public void Counts_packets_and_payload_octets()
    {
        var sender = new RtpSender(1, 0);

        sender.OnSent(1188);
        sender.OnSent(12);

        Assert.Equal(2u, sender.PacketsSent);
        Assert.Equal(1200u, sender.OctetsSent);
    }

    [Fact]
    public void Sender_report_maps_the_publishers_pair_onto_the_offset_timeline_and_carries_a_cname()
    {
        var sender = new RtpSender(0xCAFEBABE, 0) { TimestampOffset = 0xFFFF_FF00, LastTimestamp = 7 };
        sender.OnSent(100);
        sender.OnSent(200);
        var mapping = new SenderReportMapping(NtpTimestamp: 0x0123_4567_89AB_CDEF, RtpTimestamp: 0x200, ReceivedAt: 0);
        byte[] buffer = new byte[256];

        int length = sender.WriteSenderReport(buffer, mapping, ntpNow: 42);

        RtcpSenderReport report = ReadReport(buffer.AsSpan(0, length), out bool hasCname);
        Assert.Equal(new RtcpSenderReport(0xCAFEBABE, 0x0123_4567_89AB_CDEF, 0x100, 2, 300), report);
        Assert.True(hasCname);
    }

    [Fact]
    public void Sender_report_without_the_publishers_pair_uses_the_wall_clock_and_the_last_timestamp()
    {
        var sender = new RtpSender(5, 0) { TimestampOffset = 1000, LastTimestamp = 90_000 };
        sender.OnSent(10);
        byte[] buffer = new byte[256];

        int length = sender.WriteSenderReport(buffer, mapping: null, ntpNow: 0xAAAA_0000_BBBB_0000);

        RtcpSenderReport report = ReadReport(buffer.AsSpan(0, length), out _);
        Assert.Equal(new RtcpSenderReport(5, 0xAAAA_0000_BBBB_0000, 90_000, 1, 10), report);
    }

    private static RtcpSenderReport ReadReport(ReadOnlySpan<byte> compound, out bool hasCname)
    {
        RtcpSenderReport? report = null;
        hasCname = false;
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            if (type == RtcpPacketType.SenderReport)
            {
                Assert.True(RtcpSenderReport.TryParse(packet, out RtcpSenderReport parsed));
                report = parsed;
            }
            else if (type == RtcpPacketType.SourceDescription)
            {
                hasCname = true;
            }
        }

        Assert.NotNull(report);
        return report.Value;
    }
}
