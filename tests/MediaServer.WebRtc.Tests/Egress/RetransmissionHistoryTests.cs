using MediaServer.WebRtc.Egress;

namespace MediaServer.WebRtc.Tests.Egress;

public class RetransmissionHistoryTests
{
    [Fact]
    public void Returns_the_packet_sent_with_a_sequence_number_until_it_is_overwritten()
    {
        var history = new RetransmissionHistory(capacity: 16, slotSize: 64);
        for (int i = 0; i < 16; i++)
        {
            history.Store((ushort)(65530 + i), [(byte)i, 1, 2]);
        }

        Assert.True(history.TryGet(65535, out ReadOnlySpan<byte> packet));
        Assert.Equal([5, 1, 2], packet.ToArray());
        Assert.True(history.TryGet(9, out packet)); // after the wrap
        Assert.Equal(15, packet[0]);

        history.Store(10, [99]); // lands on 65530's slot
        Assert.False(history.TryGet(65530, out _));
        Assert.False(history.TryGet(12345, out _));
    }

    [Fact]
    public void Packets_larger_than_a_slot_are_not_kept()
    {
        var history = new RetransmissionHistory(capacity: 16, slotSize: 4);
        history.Store(1, [1, 2, 3, 4, 5]);
        Assert.False(history.TryGet(1, out _));
    }

    [Fact]
    public void A_history_that_was_never_written_holds_no_slots_and_finds_nothing()
    {
        var history = new RetransmissionHistory(capacity: 1024, slotSize: 1216);

        Assert.Equal(0, history.AllocatedBytes);
        Assert.False(history.TryGet(0, out _));
        history.Store(7, [1, 2, 3]);
        Assert.True(history.AllocatedBytes >= 1024 * 1216);
        Assert.True(history.TryGet(7, out ReadOnlySpan<byte> packet));
        Assert.Equal([1, 2, 3], packet.ToArray());
    }
}
