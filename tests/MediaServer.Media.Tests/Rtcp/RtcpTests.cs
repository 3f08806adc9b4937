using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests.Rtcp;

public class RtcpTests
{
    [Fact]
    public void Sender_report_round_trips()
    {
        var report = new RtcpSenderReport(0x11223344, 0xE0000000_80000000, 90000, 10, 12000);
        byte[] buffer = new byte[64];
        Assert.Equal(28, report.WriteTo(buffer));
        Assert.Equal([0x80, 200, 0x00, 0x06], buffer[..4]);
        Assert.True(RtcpSenderReport.TryParse(buffer.AsSpan(0, 28), out RtcpSenderReport parsed));
        Assert.Equal(report, parsed);
    }

    [Fact]
    public void Compound_reader_walks_sr_and_sdes_and_stops_at_a_lying_length()
    {
        byte[] buffer = new byte[128];
        int length = new RtcpSenderReport(1, 2, 3, 4, 5).WriteTo(buffer);
        int sdes = RtcpSourceDescription.WriteCname(buffer.AsSpan(length), 1, "mediaserver");
        Assert.Equal(0, sdes % 4);
        Assert.Equal(24, sdes); // 4 + 4 + 2 + 11 + null, padded
        length += sdes;

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryReadNext(out RtcpPacketType first, out _, out _));
        Assert.True(reader.TryReadNext(out RtcpPacketType second, out int count, out ReadOnlySpan<byte> packet));
        Assert.False(reader.TryReadNext(out _, out _, out _));
        Assert.False(reader.IsMalformed);
        Assert.Equal(RtcpPacketType.SenderReport, first);
        Assert.Equal(RtcpPacketType.SourceDescription, second);
        Assert.Equal(1, count);
        Assert.Equal((byte)'m', packet[10]);

        byte[] lying = [0x80, 201, 0x00, 0x10, 0, 0, 0, 1];
        var bad = new RtcpCompoundReader(lying);
        Assert.False(bad.TryReadNext(out _, out _, out _));
        Assert.True(bad.IsMalformed);
        Assert.False(RtcpSenderReport.TryParse(lying, out _));
    }

    [Fact]
    public void Ntp_time_counts_from_1900()
    {
        // 1970-01-01 is 2,208,988,800 s after the NTP epoch (RFC 868).
        Assert.Equal(2208988800UL << 32, NtpTime.FromDateTime(DateTime.UnixEpoch));
        var when = new DateTime(2026, 11, 24, 6, 0, 0, 500, DateTimeKind.Utc);
        ulong ntp = NtpTime.FromDateTime(when);
        Assert.Equal(0x80000000UL, ntp & 0xFFFFFFFF);
        Assert.Equal(when, NtpTime.ToDateTime(ntp));
        Assert.Equal((uint)(ntp >> 16), NtpTime.Middle32(ntp));
    }

    [Fact]
    public void Sender_report_layout_rfc3550_6_4_1()
    {
        byte[] buffer = new byte[28];
        new RtcpSenderReport(0x01020304, 0x1112131415161718, 0x21222324, 0x31323334, 0x41424344).WriteTo(buffer);
        Assert.Equal(
            [0x80, 200, 0, 6, 1, 2, 3, 4, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x21, 0x22, 0x23, 0x24, 0x31, 0x32, 0x33, 0x34, 0x41, 0x42, 0x43, 0x44],
            buffer);
        Assert.Throws<ArgumentException>(() => new RtcpSenderReport().WriteTo(new byte[27]));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 201, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // an RR
    [InlineData(new byte[] { 0x40, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // version 1
    [InlineData(new byte[] { 0x80, 200, 0, 6, 0, 0, 0, 1 })] // sender info cut off
    public void Sender_report_parse_refuses_what_is_not_one(byte[] packet) =>
        Assert.False(RtcpSenderReport.TryParse(packet, out _));

    [Fact]
    public void Compound_reader_reports_count_and_stops_cleanly_or_as_malformed()
    {
        var empty = new RtcpCompoundReader([]);
        Assert.False(empty.TryReadNext(out _, out _, out _));
        Assert.False(empty.IsMalformed);

        // A BYE, then three stray bytes: the second packet cannot even hold a header.
        byte[] buffer = new byte[11];
        Assert.Equal(8, RtcpGoodbye.Write(buffer, 0xCAFEBABE));
        var reader = new RtcpCompoundReader(buffer);
        Assert.True(reader.TryReadNext(out RtcpPacketType type, out int count, out ReadOnlySpan<byte> packet));
        Assert.Equal(RtcpPacketType.Goodbye, type);
        Assert.Equal(1, count);
        Assert.Equal(8, packet.Length);
        Assert.False(reader.TryReadNext(out _, out _, out _));
        Assert.True(reader.IsMalformed);
        Assert.False(reader.TryReadNext(out _, out _, out _)); // stays stopped

        var wrongVersion = new RtcpCompoundReader([0x00, 200, 0, 0]);
        Assert.False(wrongVersion.TryReadNext(out _, out _, out _));
        Assert.True(wrongVersion.IsMalformed);
    }

    [Fact]
    public void Compound_reader_passes_feedback_packets_with_their_format()
    {
        // A PLI (RFC 4585 §6.3.1): PT 206, FMT 1, sender and media SSRC.
        byte[] pli = [0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
        var reader = new RtcpCompoundReader(pli);
        Assert.True(reader.TryReadNext(out RtcpPacketType type, out int format, out ReadOnlySpan<byte> packet));
        Assert.Equal(RtcpPacketType.PayloadFeedback, type);
        Assert.Equal(1, format);
        Assert.Equal(12, packet.Length);
    }

    [Fact]
    public void Goodbye_round_trips_and_refuses_lies()
    {
        byte[] buffer = new byte[8];
        RtcpGoodbye.Write(buffer, 0x01020304);
        Assert.Equal([0x81, 203, 0, 1, 1, 2, 3, 4], buffer);
        uint[] sources = new uint[4];
        Assert.True(RtcpGoodbye.TryParse(buffer, sources, out int count));
        Assert.Equal(1, count);
        Assert.Equal(0x01020304u, sources[0]);

        Assert.False(RtcpGoodbye.TryParse([0x83, 203, 0, 1, 1, 2, 3, 4], sources, out _)); // 3 sources claimed, 1 present
        Assert.False(RtcpGoodbye.TryParse(buffer, [], out _)); // nowhere to put the source
        Assert.False(RtcpGoodbye.TryParse([0x81, 202, 0, 1, 1, 2, 3, 4], sources, out _));
    }

    [Fact]
    public void Sdes_cname_is_null_terminated_and_padded_rfc3550_6_5()
    {
        byte[] buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);
        int length = RtcpSourceDescription.WriteCname(buffer, 0x01020304, "abcd");
        // 4 header + 4 SSRC + type + length + 4 name = 14, plus a null, padded to 16.
        Assert.Equal(16, length);
        Assert.Equal([0x81, 202, 0, 3, 1, 2, 3, 4, 1, 4, (byte)'a', (byte)'b', (byte)'c', (byte)'d', 0, 0], buffer[..16]);

        // A name that already ends on a 32-bit boundary still needs its null: a whole extra word.
        Assert.Equal(20, RtcpSourceDescription.WriteCname(buffer, 1, "abcdef"));
        Assert.Equal(0, buffer[16]);
    }

    [Fact]
    public void Receiver_report_refuses_too_many_blocks_and_small_spans()
    {
        var blocks = new RtcpReportBlock[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpReceiverReport.Write(new byte[1024], 1, blocks));
        Assert.Equal(8 + (31 * 24), RtcpReceiverReport.Write(new byte[1024], 1, blocks.AsSpan(0, 31)));

        byte[] buffer = new byte[56];
        RtcpReceiverReport.Write(buffer, 1, blocks.AsSpan(0, 2));
        Assert.False(RtcpReceiverReport.TryParse(buffer, out _, new RtcpReportBlock[1], out _));
        Assert.True(RtcpReceiverReport.TryParse(buffer, out _, new RtcpReportBlock[2], out int count));
        Assert.Equal(2, count);
    }

    [Fact]
    public void Receiver_report_clamps_cumulative_loss_to_24_bits()
    {
        byte[] buffer = new byte[32];
        RtcpReceiverReport.Write(buffer, 1, [new RtcpReportBlock(2, 0, 10_000_000, 0, 0, 0, 0)]);
        Assert.Equal([0x7F, 0xFF, 0xFF], buffer[13..16]);
        var parsed = new RtcpReportBlock[1];
        Assert.True(RtcpReceiverReport.TryParse(buffer, out _, parsed, out _));
        Assert.Equal(0x7FFFFF, parsed[0].CumulativeLost);
    }

    [Fact]
    public void Ntp_time_after_the_2036_wrap_reads_as_the_next_era_rfc4330_3()
    {
        var when = new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        ulong ntp = NtpTime.FromDateTime(when);
        Assert.Equal(0u, (uint)(ntp >> 63)); // the seconds field wrapped
        Assert.Equal(when, NtpTime.ToDateTime(ntp));

        var justBefore = new DateTime(2036, 2, 7, 6, 28, 15, DateTimeKind.Utc);
        Assert.Equal(0xFFFFFFFFUL << 32, NtpTime.FromDateTime(justBefore));
        Assert.Equal(0UL, NtpTime.FromDateTime(justBefore.AddSeconds(1)));
    }
}
