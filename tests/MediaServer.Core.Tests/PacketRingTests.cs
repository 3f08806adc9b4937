using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests;

public class PacketRingTests
{
    [Fact]
    public void Ring_is_fifo_bounded_and_rounds_capacity_up()
    {
        var pool = new MediaPacketPool(16);
        var ring = new PacketRing(3);
        Assert.Equal(4, ring.Capacity);
        var packets = Enumerable.Range(0, 5).Select(_ => pool.Rent(TestRtp.Id("cam1"), 1)).ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryWrite(packets[i]));
        }

        Assert.False(ring.TryWrite(packets[4]));
        Assert.False(ring.HasRoomFor(1));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryRead(out MediaPacket p));
            Assert.Same(packets[i], p);
        }

        Assert.False(ring.TryRead(out _));
        Assert.True(ring.HasRoomFor(4));
    }

    [Fact]
    public async Task Producer_and_consumer_on_two_threads_see_every_packet_in_order()
    {
        var pool = new MediaPacketPool(64);
        var ring = new PacketRing(8);
        StreamId id = TestRtp.Id("cam1");
        const int count = 20000;
        var consumer = Task.Run(() =>
        {
            int expected = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (expected < count && DateTime.UtcNow < deadline)
            {
                if (ring.TryRead(out MediaPacket p))
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
            while (!ring.TryWrite(p))
            {
                Thread.SpinWait(10);
            }
        }

        Assert.Equal(count, await consumer);
    }
}
