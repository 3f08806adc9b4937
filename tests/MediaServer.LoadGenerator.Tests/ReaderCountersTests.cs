using System.Buffers.Binary;

namespace MediaServer.LoadGenerator.Tests;

public class ReaderCountersTests
{
    [Fact]
    public void Gaps_in_the_sequence_count_as_lost_packets_across_the_wrap()
    {
        var counters = new ReaderCounters(new LatencyHistogram());
        foreach (ushort sequence in new ushort[] { 65533, 65534, 65535, 1, 2, 5 })
        {
            counters.OnRtp(Rtp(sequence));
        }

        Assert.Equal(6, counters.Packets);
        Assert.Equal(1 + 2, counters.Lost); // 0, then 3 and 4
        Assert.Equal(6 * 40, counters.Bytes);
    }

    [Fact]
    public void A_reordered_packet_is_not_counted_as_a_huge_loss()
    {
        var counters = new ReaderCounters(new LatencyHistogram());
        counters.OnRtp(Rtp(10));
        counters.OnRtp(Rtp(12));
        counters.OnRtp(Rtp(11));

        Assert.Equal(1, counters.Lost);
    }

    [Fact]
    public void Stamped_packets_feed_the_latency_histogram()
    {
        var latency = new LatencyHistogram();
        var counters = new ReaderCounters(latency);
        byte[] rtp = Rtp(1);
        rtp[12] = 0x7C;
        rtp[13] = 0x41;
        LatencyStamp.Write(rtp.AsSpan(12), System.Diagnostics.Stopwatch.GetTimestamp());

        counters.OnRtp(rtp);
        counters.OnRtp(Rtp(2));

        Assert.Equal(1, counters.Stamped);
        Assert.Equal(1, latency.Count);
    }

    private static byte[] Rtp(ushort sequence)
    {
        byte[] rtp = new byte[40];
        rtp[0] = 0x80;
        rtp[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), sequence);
        return rtp;
    }

    [Fact]
    public void Keyframe_fragments_count_in_all_latency_but_not_in_the_p_frame_histogram()
    {
        var all = new LatencyHistogram();
        var predicted = new LatencyHistogram();
        var counters = new ReaderCounters(all, predicted);
        counters.OnRtp(Stamped(1, nalType: 5));
        counters.OnRtp(Stamped(2, nalType: 1));
        counters.OnRtp(Stamped(3, nalType: 1));

        Assert.Equal(3, all.Count);
        Assert.Equal(2, predicted.Count);
    }

    private static byte[] Stamped(ushort sequence, int nalType)
    {
        byte[] rtp = Rtp(sequence);
        rtp[12] = 0x7C;
        rtp[13] = (byte)nalType;
        LatencyStamp.Write(rtp.AsSpan(12), System.Diagnostics.Stopwatch.GetTimestamp());
        return rtp;
    }
}
