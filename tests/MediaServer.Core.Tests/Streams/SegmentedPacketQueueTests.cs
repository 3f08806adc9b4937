using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

public sealed class SegmentedPacketQueueTests
{
    [Fact]
    public void Queue_is_fifo_bounded_and_rounds_capacity_up()
    {
        var pool = new MediaPacketPool(16);
        var queue = new SegmentedPacketQueue(3);
        Assert.Equal(4, queue.Capacity);
        var packets = Enumerable.Range(0, 5).Select(_ => pool.Rent(TestRtp.Id("cam1"), 1)).ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryWrite(packets[i]));
        }

        Assert.False(queue.TryWrite(packets[4]));
        Assert.False(queue.HasRoomFor(1));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryRead(out MediaPacket p));
            Assert.Same(packets[i], p);
        }

        Assert.False(queue.TryRead(out _));
        Assert.True(queue.HasRoomFor(4));
    }

    [Fact]
    public async Task Producer_and_consumer_on_two_threads_see_every_packet_in_order()
    {
        var pool = new MediaPacketPool(64);
        var queue = new SegmentedPacketQueue(8);
        StreamId id = TestRtp.Id("cam1");
        const int count = 20000;
        var consumer = Task.Run(() =>
        {
            int expected = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (expected < count && DateTime.UtcNow < deadline)
            {
                if (queue.TryRead(out MediaPacket p))
                {
                    Assert.Equal((ushort)expected, p.SequenceNumber);
                    p.Release();
                    expected++;
                }
            }

            return expected;
        });

        for (int i = 0; i < count; i++)
        {
            MediaPacket p = pool.Rent(id, 1);
            p.SequenceNumber = (ushort)i;
            while (!queue.TryWrite(p))
            {
                Thread.SpinWait(10);
            }
        }

        Assert.Equal(count, await consumer);
    }

    [Fact]
    public void A_queue_bounded_for_a_whole_gop_costs_one_small_segment_until_it_fills()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var queue = new SegmentedPacketQueue(4096);
        long cost = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(4096, queue.Capacity);
        Assert.InRange(cost, 1, 2048); // a 32 KiB slot array before segments
    }

    [Fact]
    public void Filling_to_the_bound_links_segments_and_reads_back_in_order()
    {
        var pool = new MediaPacketPool(2048);
        var queue = new SegmentedPacketQueue(1000);
        StreamId id = TestRtp.Id("cam1");
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < queue.Capacity; i++)
            {
                MediaPacket p = pool.Rent(id, 1);
                p.SequenceNumber = (ushort)i;
                Assert.True(queue.TryWrite(p));
            }

            Assert.False(queue.HasRoomFor(1));
            for (int i = 0; i < queue.Capacity; i++)
            {
                Assert.True(queue.TryRead(out MediaPacket p));
                Assert.Equal((ushort)i, p.SequenceNumber);
                p.Release();
            }

            Assert.False(queue.TryRead(out _));
            Assert.Equal(0, queue.QueuedBytes);
        }
    }

    [Fact]
    public void A_short_queue_moving_through_many_segments_allocates_nothing()
    {
        var pool = new MediaPacketPool(64);
        var queue = new SegmentedPacketQueue(4096);
        MediaPacket[] packets = Enumerable.Range(0, 16).Select(_ => pool.Rent(TestRtp.Id("cam1"), 1)).ToArray();
        void Cycle()
        {
            foreach (MediaPacket p in packets)
            {
                queue.TryWrite(p);
            }

            while (queue.TryRead(out _))
            {
            }
        }

        for (int i = 0; i < 100; i++)
        {
            Cycle(); // warm: the second segment and the spare exist now
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Cycle(); // 16,000 packets through 125 segment changes
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
