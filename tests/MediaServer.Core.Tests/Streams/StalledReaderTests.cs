using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

public class StalledReaderTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private static MediaStreamReader Subscribe(MediaStream stream) =>
        stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));

    private static MediaStream Stream(ManualClock clock) => new(TestRtp.Id("cam1"), TestRtp.Sdp(),
        new StreamOptions { ReaderQueuePackets = 16, StalledReaderTimeoutSeconds = 1 }, clock: clock);

    [Fact]
    public void Reader_that_never_reads_is_completed_as_stalled_and_its_owner_told_once()
    {
        var clock = new ManualClock();
        MediaStream stream = Stream(clock);
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader stalled = Subscribe(stream);
        MediaStreamReader live = Subscribe(stream);
        int calls = 0;
        MediaStreamReader? told = null;
        stalled.OnStalled(r =>
        {
            told = r;
            Interlocked.Increment(ref calls);
        });
        double disconnectedBefore = MetricsRegistry.ReadersDisconnectedStalled.Value;
        int livePackets = ReceivedPacket.Drain(live).Count;
        int frames = 0;
        void Frame()
        {
            camera.Frame();
            frames++;
            livePackets += ReceivedPacket.Drain(live).Count;
        }

        // Its queue overflows: from then on, packets for it are dropped.
        while (stalled.Resyncs == 0)
        {
            Frame();
        }

        // 1 s on, publishing all along: lagging, not yet stalled.
        for (int i = 0; i < 10; i++)
        {
            clock.Advance(Tick);
            Frame();
        }

        Assert.Equal(1, stalled.Resyncs);
        Assert.False(stalled.IsStalled);
        Assert.False(stalled.IsCompleted);

        // Past the timeout without having taken a packet: given up on.
        clock.Advance(Tick);
        Frame();

        Assert.True(stalled.IsStalled);
        Assert.True(stalled.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(1.1), stalled.StalledFor);
        Assert.Equal(1, MetricsRegistry.ReadersDisconnectedStalled.Value - disconnectedBefore);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, TimeSpan.FromSeconds(10)), "the owner was never told");
        Assert.Same(stalled, told);

        // Nothing more reaches it, nor is it counted again; the other reader got everything.
        long dropped = stalled.DroppedPackets;
        for (int i = 0; i < 30; i++)
        {
            clock.Advance(Tick);
            Frame();
        }

        Assert.Equal(dropped, stalled.DroppedPackets);
        Assert.Equal(1, MetricsRegistry.ReadersDisconnectedStalled.Value - disconnectedBefore);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(live.IsStalled);
        Assert.Equal(0, live.DroppedPackets);
        Assert.Equal(4 + (frames * 2), livePackets);

        // Its owner lets go: the path no longer counts it.
        stalled.Dispose();
        Assert.Equal(1, stream.ReaderCount);
    }

    [Fact]
    public void Callback_registered_after_the_reader_was_given_up_on_still_runs_once()
    {
        var clock = new ManualClock();
        MediaStream stream = Stream(clock);
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader stalled = Subscribe(stream);
        for (int i = 0; i < 30 && !stalled.IsStalled; i++)
        {
            camera.Frame();
            clock.Advance(Tick);
        }

        Assert.True(stalled.IsStalled);
        int calls = 0;
        stalled.OnStalled(_ => Interlocked.Increment(ref calls));
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, TimeSpan.FromSeconds(10)), "a late callback never ran");
        Assert.Throws<InvalidOperationException>(() => stalled.OnStalled(_ => Interlocked.Increment(ref calls)));
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public void Slow_reader_that_keeps_taking_packets_is_resynced_again_and_again_but_never_given_up()
    {
        var clock = new ManualClock();
        MediaStream stream = Stream(clock);
        var camera = new GopPublisher(stream);
        MediaStreamReader slow = Subscribe(stream);
        int calls = 0;
        slow.OnStalled(_ => Interlocked.Increment(ref calls));
        int taken = 0;

        // 30 s of a GOP a second; the reader looks every 0.5 s and takes two packets at most, far
        // slower than they come, so it lags most of the time, but never 1 s without progress.
        for (int frame = 0; frame < 300; frame++)
        {
            if (frame % 10 == 0)
            {
                camera.Keyframe();
            }
            else
            {
                camera.Frame();
            }

            clock.Advance(Tick);
            if (frame % 5 == 4)
            {
                // The first read after an overflow only lets go of the queue: a third try.
                int took = 0;
                for (int attempt = 0; attempt < 3 && took < 2; attempt++)
                {
                    if (slow.TryRead(out MediaPacket packet))
                    {
                        packet.Release();
                        took++;
                    }
                }

                taken += took;
            }
        }

        Assert.True(slow.Resyncs >= 10, $"the reader was resynced only {slow.Resyncs} times");
        Assert.True(taken >= 30, $"the reader took only {taken} packets");
        Assert.False(slow.IsStalled);
        Assert.False(slow.IsCompleted);
        Assert.Equal(0, Volatile.Read(ref calls));
    }

    [Fact]
    public void Reader_that_never_reads_is_kept_when_the_timeout_is_zero()
    {
        var clock = new ManualClock();
        MediaStream stream = new(TestRtp.Id("cam1"), TestRtp.Sdp(),
            new StreamOptions { ReaderQueuePackets = 16, StalledReaderTimeoutSeconds = 0 }, clock: clock);
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader reader = Subscribe(stream);
        for (int i = 0; i < 100; i++)
        {
            camera.Frame();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, reader.Resyncs);
        Assert.False(reader.IsStalled);
        Assert.False(reader.IsCompleted);
    }
}
