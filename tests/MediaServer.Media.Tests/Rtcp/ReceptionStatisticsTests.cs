using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests.Rtcp;

public class ReceptionStatisticsTests
{
    [Fact]
    public void Loss_and_sequence_wrap_are_reported_as_rfc3550_appendix_a3()
    {
        var stats = new ReceptionStatistics();
        // 65530..65535, then 0..9 with 2 and 3 lost: 16 expected, 14 received.
        foreach (int seq in Enumerable.Range(65530, 6).Concat(Enumerable.Range(0, 10)).Where(s => s is not (2 or 3)))
        {
            stats.OnPacket(0xABCD, (ushort)seq, (uint)(seq * 3000), arrival: seq * 3000L);
        }

        Assert.True(stats.TryCreateReportBlock(1000, 0, 0, out RtcpReportBlock block));
        Assert.Equal(0xABCDu, block.Ssrc);
        Assert.Equal(2, block.CumulativeLost);
        Assert.Equal((1u << 16) + 9, block.ExtendedHighestSequence);
        Assert.Equal((byte)(2 * 256 / 16), block.FractionLost);
        Assert.Equal(0u, block.LastSenderReport);

        // The next interval had no loss; a sender report 500 ms ago gives LSR and DLSR.
        stats.OnPacket(0xABCD, 10, 30000, 30000);
        ulong ntp = 0x0000_1234_5678_0000;
        Assert.True(stats.TryCreateReportBlock(1500, ntp, 1000, out block));
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(0x12345678u, block.LastSenderReport);
        Assert.Equal(32768u, block.DelaySinceLastSenderReport);
    }

    [Fact]
    public void Jitter_grows_when_arrival_varies()
    {
        var steady = new ReceptionStatistics();
        var bumpy = new ReceptionStatistics();
        for (int i = 0; i < 50; i++)
        {
            steady.OnPacket(1, (ushort)i, (uint)(i * 3000), i * 3000L);
            bumpy.OnPacket(1, (ushort)i, (uint)(i * 3000), (i * 3000L) + (i % 2 == 0 ? 0 : 900));
        }

        Assert.True(steady.TryCreateReportBlock(0, 0, 0, out RtcpReportBlock s));
        Assert.True(bumpy.TryCreateReportBlock(0, 0, 0, out RtcpReportBlock b));
        Assert.Equal(0u, s.Jitter);
        Assert.InRange(b.Jitter, 500u, 900u);
    }

    [Fact]
    public void No_report_before_the_first_packet() =>
        Assert.False(new ReceptionStatistics().TryCreateReportBlock(0, 0, 0, out _));

    [Fact]
    public void Receiver_report_round_trips_with_negative_cumulative_loss()
    {
        RtcpReportBlock[] blocks =
        [
            new(1, 25, 1000, 70000, 12, 0x11112222, 65536),
            new(2, 0, -3, 5, 0, 0, 0),
        ];
        byte[] buffer = new byte[64];
        Assert.Equal(56, RtcpReceiverReport.Write(buffer, 0x99, blocks));
        var parsed = new RtcpReportBlock[4];
        Assert.True(RtcpReceiverReport.TryParse(buffer.AsSpan(0, 56), out uint sender, parsed, out int count));
        Assert.Equal(0x99u, sender);
        Assert.Equal(blocks, parsed[..count]);
        Assert.False(RtcpReceiverReport.TryParse(buffer.AsSpan(0, 40), out _, parsed, out _));
    }

    [Fact]
    public void Jitter_ignores_an_rtp_timestamp_wrap()
    {
        var stats = new ReceptionStatistics();
        uint timestamp = uint.MaxValue - (5 * 3000);
        long arrival = 1_000_000;
        for (int i = 0; i < 20; i++)
        {
            stats.OnPacket(7, (ushort)i, timestamp, arrival);
            timestamp += 3000; // wraps after five packets
            arrival += 3000;
        }

        Assert.True(stats.TryCreateReportBlock(0, 0, 0, out RtcpReportBlock block));
        Assert.Equal(0u, block.Jitter);
    }

    [Fact]
    public void One_stray_sequence_number_is_ignored_but_two_in_a_row_restart_the_count_rfc3550_a1()
    {
        var stats = new ReceptionStatistics();
        for (int i = 0; i < 10; i++)
        {
            stats.OnPacket(1, (ushort)i, 0, 0);
        }

        stats.OnPacket(1, 30000, 0, 0); // stray
        stats.OnPacket(1, 10, 0, 0);
        Assert.True(stats.TryCreateReportBlock(0, 0, 0, out RtcpReportBlock block));
        Assert.Equal(10u, block.ExtendedHighestSequence);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(11, stats.Received);

        stats.OnPacket(1, 40000, 0, 0);
        stats.OnPacket(1, 40001, 0, 0); // follows the jump: the source restarted
        stats.OnPacket(1, 40002, 0, 0);
        Assert.True(stats.TryCreateReportBlock(0, 0, 0, out block));
        Assert.Equal(40002u, block.ExtendedHighestSequence);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(2, stats.Received);
    }
}
