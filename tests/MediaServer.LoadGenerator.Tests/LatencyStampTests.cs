using System.Diagnostics;

namespace MediaServer.LoadGenerator.Tests;

public class LatencyStampTests
{
    [Fact]
    public void A_stamp_written_into_an_fu_a_payload_is_read_back_from_the_rtp_packet()
    {
        byte[] rtp = Rtp(headerLength: 12, payload: FuA(100));
        LatencyStamp.Write(rtp.AsSpan(12), 123_456_789);

        Assert.True(LatencyStamp.TryRead(rtp, out long stamp));
        Assert.Equal(123_456_789, stamp);
    }

    [Fact]
    public void The_stamp_is_found_after_csrcs_and_a_header_extension()
    {
        byte[] payload = FuA(100);
        LatencyStamp.Write(payload, 77);
        byte[] rtp = new byte[12 + 4 + 8 + payload.Length];
        rtp[0] = 0x80 | 0x10 | 0x01; // one CSRC, extension present
        rtp[12 + 4 + 3] = 1; // extension of one 32-bit word
        payload.CopyTo(rtp, 12 + 4 + 8);

        Assert.True(LatencyStamp.TryRead(rtp, out long stamp));
        Assert.Equal(77, stamp);
    }

    [Fact]
    public void Packets_without_a_stamp_are_not_measured()
    {
        byte[] single = Rtp(12, [0x67, 0x42, 0xE0, 0x1F]); // an SPS: too small, not FU-A
        Assert.False(LatencyStamp.TryRead(single, out _));
        Assert.False(LatencyStamp.Fits(single.AsSpan(12)));

        byte[] unstamped = Rtp(12, FuA(100)); // FU-A without the marker
        Assert.False(LatencyStamp.TryRead(unstamped, out _));
    }

    [Fact]
    public void Elapsed_time_is_measured_on_the_monotonic_clock()
    {
        long sent = Stopwatch.GetTimestamp() - Stopwatch.Frequency / 1000; // 1 ms ago
        Assert.InRange(LatencyStamp.ElapsedNanoseconds(sent), 1_000_000, 10_000_000_000);
    }

    private static byte[] FuA(int length)
    {
        byte[] payload = new byte[length];
        payload[0] = 0x7C;
        payload[1] = 0x81;
        return payload;
    }

    private static byte[] Rtp(int headerLength, byte[] payload)
    {
        byte[] rtp = new byte[headerLength + payload.Length];
        rtp[0] = 0x80;
        rtp[1] = 96;
        payload.CopyTo(rtp, headerLength);
        return rtp;
    }
}
