using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests.Rtcp;

public class NackTrackerTests
{
    private static ushort[] Collect(NackTracker tracker, long now)
    {
        var lost = new ushort[NackTracker.Capacity];
        return lost[..tracker.Collect(now, lost)];
    }

    [Fact]
    public void A_gap_asks_for_exactly_the_packets_in_it()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(10, 0);
        tracker.OnPacket(11, 0);
        tracker.OnPacket(14, 5);

        Assert.Equal([12, 13], Collect(tracker, 5));
        Assert.Equal(2, tracker.Lost);
    }

    [Fact]
    public void A_gap_across_the_sequence_number_wrap_is_asked_for_in_order()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(65534, 0);
        tracker.OnPacket(1, 0);

        Assert.Equal([65535, 0], Collect(tracker, 0));
    }

    [Fact]
    public void A_packet_is_asked_for_again_only_after_the_retry_interval_and_at_most_max_asks_times()
    {
        var tracker = new NackTracker { MaxAsks = 3, RetryMilliseconds = 100 };
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);

        Assert.Equal([2], Collect(tracker, 0));
        Assert.Empty(Collect(tracker, 50));
        Assert.Equal([2], Collect(tracker, 100));
        Assert.Equal([2], Collect(tracker, 200));
        Assert.Empty(Collect(tracker, 300));
        Assert.Equal(0, tracker.MissingCount);
    }

    [Fact]
    public void A_packet_older_than_max_age_is_never_asked_for()
    {
        var tracker = new NackTracker { MaxAgeMilliseconds = 1000 };
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);

        Assert.Empty(Collect(tracker, 1001));
    }

    [Fact]
    public void A_packet_that_arrives_late_or_retransmitted_is_no_longer_asked_for()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(1, 0);
        tracker.OnPacket(5, 0);
        tracker.OnPacket(3, 1);

        Assert.Equal([2, 4], Collect(tracker, 1));
    }

    [Fact]
    public void A_jump_larger_than_the_capacity_starts_over_instead_of_asking_for_it_all()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(1, 0);
        tracker.OnPacket(2000, 0);
        tracker.OnPacket(2002, 0);

        Assert.Equal([2001], Collect(tracker, 0));
    }

    [Fact]
    public void Packets_in_order_are_never_missing()
    {
        var tracker = new NackTracker();
        for (int i = 0; i < 70000; i++)
        {
            tracker.OnPacket((ushort)i, i);
        }

        Assert.Empty(Collect(tracker, 70000));
        Assert.Equal(0, tracker.Lost);
    }
}
