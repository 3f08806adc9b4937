using MediaServer.Core.Isolation;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Packets;

public class MediaPacketPoolTests
{
    [Fact]
    public void Rented_packet_carries_its_stream_stamp()
    {
        var pool = new MediaPacketPool(4);
        StreamId cam1 = TestRtp.Id("cam1");
        MediaPacket packet = pool.Rent(cam1, 7);
        Assert.True(packet.IsStampedFor(cam1, 7));
        Assert.False(packet.IsStampedFor(cam1, 8));
        Assert.False(packet.IsStampedFor(TestRtp.Id("cam2"), 7));
        packet.Release();
    }

    [Fact]
    public void Returned_packet_loses_its_stamp_and_is_reused_with_a_new_one()
    {
        var pool = new MediaPacketPool(4);
        StreamId cam1 = TestRtp.Id("cam1");
        StreamId cam2 = TestRtp.Id("cam2");
        MediaPacket first = pool.Rent(cam1, 1);
        first.Release();

        Assert.False(first.IsLeased);
        Assert.False(first.IsStampedFor(cam1, 1));
        Assert.True(first.StampedStreamId.IsEmpty);

        MediaPacket second = pool.Rent(cam2, 2);
        Assert.Same(first, second);
        Assert.True(second.IsStampedFor(cam2, 2));
        Assert.False(second.IsStampedFor(cam1, 1));
        second.Release();
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void Packet_stays_leased_until_the_last_reference_is_released()
    {
        var pool = new MediaPacketPool(4);
        MediaPacket packet = pool.Rent(TestRtp.Id("cam1"), 1);
        packet.AddRef();
        packet.Release();
        Assert.True(packet.IsLeased);
        packet.Release();
        Assert.False(packet.IsLeased);
    }

    [Fact]
    public void Use_after_return_is_detected()
    {
        var pool = new MediaPacketPool(4);
        MediaPacket packet = pool.Rent(TestRtp.Id("cam1"), 1);
        packet.Release();
        Assert.Equal(0, pool.Guard.Violations);
#if DEBUG
        Assert.Throws<InvalidOperationException>(packet.Release);
#else
        packet.Release();
#endif
        Assert.Equal(1, pool.Guard.Violations);
        Assert.False(pool.Guard.Admit(packet, TestRtp.Id("cam1"), 1));
        Assert.Equal(2, pool.Guard.Violations);
    }

    [Fact]
    public void Full_pool_lets_extra_packets_go_and_empty_pool_allocates()
    {
        var pool = new MediaPacketPool(2);
        StreamId id = TestRtp.Id("cam1");
        MediaPacket[] packets = [pool.Rent(id, 1), pool.Rent(id, 1), pool.Rent(id, 1)];
        Assert.Equal(3, pool.Allocated);
        foreach (MediaPacket p in packets)
        {
            p.Release();
        }

        MediaPacket again = pool.Rent(id, 1);
        Assert.Contains(again, packets);
        again.Release();
        Assert.Equal(3, pool.Allocated);
    }

    [Fact]
    public void Outstanding_counts_rented_packets_including_those_beyond_a_full_pool()
    {
        var pool = new MediaPacketPool(2);
        StreamId cam1 = TestRtp.Id("cam1");
        MediaPacket[] packets = [pool.Rent(cam1, 1), pool.Rent(cam1, 1), pool.Rent(cam1, 1)];
        Assert.Equal(3, pool.Outstanding);

        packets[0].AddRef();
        packets[0].Release();
        Assert.Equal(3, pool.Outstanding);
        foreach (MediaPacket packet in packets)
        {
            packet.Release();
        }

        // Two went back to the slots, the third found the pool full and was left to the GC.
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(1, pool.Discarded);
    }

    [Fact]
    public void Warm_pool_rents_and_returns_at_the_hint()
    {
        var pool = new MediaPacketPool();
        StreamId id = TestRtp.Id("cam1");
        pool.Rent(id, 1).Release();
        long before = pool.SlotsProbed;

        pool.Rent(id, 1).Release();

        // One slot for the rent, one for the return: the stack never searches when warm.
        Assert.Equal(before + 2, pool.SlotsProbed);
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void Rent_from_an_empty_pool_allocates_without_walking_every_slot()
    {
        var pool = new MediaPacketPool(MediaPacketPool.DefaultSize);

        MediaPacket packet = pool.Rent(TestRtp.Id("cam1"), 1);

        // A search over all 8,192 slots here is what made an empty pool cost microseconds a packet.
        Assert.InRange(pool.SlotsProbed, 1, MediaPacketPool.ProbeWindow);
        Assert.Equal(1, pool.Allocated);
        packet.Release();
    }

    [Fact]
    public void Return_to_a_full_pool_discards_without_walking_every_slot()
    {
        var pool = new MediaPacketPool(MediaPacketPool.DefaultSize);
        StreamId id = TestRtp.Id("cam1");
        var packets = new MediaPacket[MediaPacketPool.DefaultSize + 1];
        for (int i = 0; i < packets.Length; i++)
        {
            packets[i] = pool.Rent(id, 1);
        }

        for (int i = 0; i < packets.Length - 1; i++)
        {
            packets[i].Release();
        }

        long before = pool.SlotsProbed;
        packets[^1].Release();

        Assert.InRange(pool.SlotsProbed - before, 1, MediaPacketPool.ProbeWindow);
        Assert.Equal(1, pool.Discarded);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Pool_drained_and_refilled_many_times_keeps_reusing_its_packets()
    {
        // Empty and full searches move the hint; the stack must still reuse what it holds after.
        var pool = new MediaPacketPool(100);
        StreamId id = TestRtp.Id("cam1");
        var packets = new MediaPacket[150];
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < packets.Length; i++)
            {
                packets[i] = pool.Rent(id, 1);
            }

            foreach (MediaPacket packet in packets)
            {
                packet.Release();
            }
        }

        // Each round reuses the 100 pooled packets and makes (then discards) the 50 beyond them.
        Assert.Equal(100 + (19 * 50) + 50, pool.Allocated);
        Assert.Equal(20 * 50, pool.Discarded);
        Assert.Equal(0, pool.Outstanding);
    }
}
