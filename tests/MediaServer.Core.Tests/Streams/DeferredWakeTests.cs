using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

/// <summary>
/// A publisher that read a burst of packets at once wakes each reader once, at the burst's end:
/// the packets are queued at once, only the wake-up waits.
/// </summary>
public class DeferredWakeTests
{
    [Fact]
    public async Task Deferred_packets_are_queued_at_once_and_the_reader_wakes_only_when_the_burst_ends()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        new GopPublisher(stream).Keyframe();
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        ValueTask wait = ParkedWait(reader);

        for (ushort seq = 10; seq < 13; seq++)
        {
            Assert.Equal(PublishResult.Published, stream.PublishRtp(0, TestRtp.Packet(seq, 9000, TestRtp.NonIdr, 0, marker: seq == 12), deferWake: true));
        }

        // Still parked: nothing woke it, although the packets are in its queue.
        Assert.True(reader.IsParked);
        stream.WakeDeferredReaders();
        Assert.False(reader.IsParked);
        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([10, 11, 12], ReceivedPacket.Drain(reader).Select(p => (int)p.Seq));

        // Woken once: the list is empty again, so a second call wakes nothing.
        ValueTask next = ParkedWait(reader);
        stream.WakeDeferredReaders();
        Assert.True(reader.IsParked);
        Assert.False(next.IsCompleted);
        reader.Dispose();
    }

    [Fact]
    public async Task Packets_published_without_deferral_wake_the_reader_at_once()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        new GopPublisher(stream).Keyframe();
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        ValueTask wait = ParkedWait(reader);

        stream.PublishRtp(0, TestRtp.Packet(10, 9000, TestRtp.NonIdr, 0, marker: true));
        Assert.False(reader.IsParked);

        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(ReceivedPacket.Drain(reader));
        reader.Dispose();
    }

    [Fact]
    public async Task A_reader_that_left_during_the_burst_is_woken_harmlessly_and_the_others_still_are()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        new GopPublisher(stream).Keyframe();
        MediaStreamReader leaving = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        MediaStreamReader staying = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        ValueTask wait = ParkedWait(staying);
        Park(leaving);

        stream.PublishRtp(0, TestRtp.Packet(10, 9000, TestRtp.NonIdr, 0, marker: true), deferWake: true);
        leaving.Dispose();
        Assert.True(staying.IsParked);
        stream.WakeDeferredReaders();

        await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(ReceivedPacket.Drain(staying));
        staying.Dispose();
    }

    private static void Park(MediaStreamReader reader) => ParkedWait(reader).AsTask();

    /// <summary>Drains the reader and returns a wait that is parked (no signal pending).</summary>
    private static ValueTask ParkedWait(MediaStreamReader reader)
    {
        while (true)
        {
            ReceivedPacket.Drain(reader);
            ValueTask wait = reader.WaitAsync();
            if (!wait.IsCompleted)
            {
                return wait;
            }
        }
    }
}
