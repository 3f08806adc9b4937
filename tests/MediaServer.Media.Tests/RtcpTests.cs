using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests;

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
}
