using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

public class MediaStreamTests
{
    private static MediaStreamReader Subscribe(MediaStream stream) =>
        stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));

    [Fact]
    public void Reader_joining_mid_gop_gets_the_cached_gop_from_its_keyframe_then_live_packets()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();
        camera.Keyframe();
        camera.Frame();
        camera.Frame();

        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();

        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        // Second GOP: SPS, PPS, IDR, audio, then three (P, audio) pairs, the last one live.
        Assert.Equal(
            [TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC, TestRtp.NonIdr, 0xFC, TestRtp.NonIdr, 0xFC, TestRtp.NonIdr, 0xFC],
            got.Select(p => p.Nal));
        Assert.Equal(0, reader.DroppedPackets);
    }

    [Fact]
    public void Reader_waiting_for_a_live_keyframe_gets_nothing_of_the_cached_gop_and_starts_at_the_next_keyframe()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();

        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read), waitForLiveKeyframe: true);
        camera.Frame();
        Assert.Empty(ReceivedPacket.Drain(reader));

        camera.Keyframe();
        camera.Frame();
        Assert.Equal(
            [TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC, TestRtp.NonIdr, 0xFC],
            ReceivedPacket.Drain(reader).Select(p => p.Nal));
    }

    [Fact]
    public void Reader_of_an_idle_stream_gets_the_cached_gop_without_waiting_for_another_packet()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();

        MediaStreamReader reader = Subscribe(stream);
        Assert.Equal(6, ReceivedPacket.Drain(reader).Count);
    }

    [Fact]
    public void Keyframe_request_replays_the_same_streams_cached_gop_from_its_keyframe()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        MediaStream other = TestRtp.Stream("cam2");
        var camera = new GopPublisher(stream, tag: 1);
        var otherCamera = new GopPublisher(other, tag: 2);
        camera.Keyframe();
        otherCamera.Keyframe();
        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();
        Assert.Equal(6, ReceivedPacket.Drain(reader).Count);

        reader.RequestKeyframe();
        otherCamera.Frame();
        camera.Frame();

        // The request drops the queue; the publisher's next packet, once the reader has let go of
        // it, restarts the reader at the cached keyframe of its own stream.
        Assert.Empty(ReceivedPacket.Drain(reader));
        camera.Frame();
        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        Assert.Equal(
            [TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC, TestRtp.NonIdr, 0xFC, TestRtp.NonIdr, 0xFC, TestRtp.NonIdr, 0xFC],
            got.Select(p => p.Nal));
        Assert.All(got, p => Assert.Equal((byte)1, p.Tag));
        Assert.Equal(1, reader.QueueDrops);

        camera.Frame();
        Assert.Equal([TestRtp.NonIdr, 0xFC], ReceivedPacket.Drain(reader).Select(p => p.Nal));
    }

    [Fact]
    public void Cache_restarts_at_every_keyframe_and_keeps_the_whole_access_unit()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();
        camera.Frame();
        Assert.Equal(8, stream.CachedPackets);
        camera.Keyframe();
        Assert.Equal(4, stream.CachedPackets);
    }

    [Fact]
    public void Reader_of_a_stream_without_a_keyframe_yet_waits_for_one_and_never_starts_mid_gop()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();
        camera.Frame();
        Assert.Empty(ReceivedPacket.Drain(reader));

        camera.Keyframe();
        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        Assert.Equal(TestRtp.Sps, got[0].Nal);
        Assert.Equal(4, got.Count);
    }

    [Fact]
    public void Slow_reader_is_dropped_and_resumes_at_the_next_keyframe_while_others_get_everything()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { ReaderQueuePackets = 16 });
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader slow = Subscribe(stream);
        MediaStreamReader fast = Subscribe(stream);
        var fastGot = new List<ReceivedPacket>();

        camera.Frame();
        fastGot.AddRange(ReceivedPacket.Drain(fast));
        for (int i = 0; i < 20; i++)
        {
            camera.Frame(); // the slow reader never reads: its queue overflows
            fastGot.AddRange(ReceivedPacket.Drain(fast));
        }

        Assert.True(slow.DroppedPackets > 0);
        Assert.Equal(1, slow.Resyncs);

        // The reader wakes up: its stale queue is gone, and P frames still do not reach it.
        Assert.Empty(ReceivedPacket.Drain(slow));
        camera.Frame();
        camera.Frame();
        Assert.Empty(ReceivedPacket.Drain(slow));

        camera.Keyframe();
        camera.Frame();
        fastGot.AddRange(ReceivedPacket.Drain(fast));
        List<ReceivedPacket> resumed = ReceivedPacket.Drain(slow);
        Assert.Equal([TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC, TestRtp.NonIdr, 0xFC], resumed.Select(p => p.Nal));

        // The fast reader saw every packet in order.
        List<ushort> videoSeqs = fastGot.Where(p => p.Track == 0).Select(p => p.Seq).ToList();
        Assert.Equal(Enumerable.Range(videoSeqs[0], videoSeqs.Count).Select(i => (ushort)i), videoSeqs);
        Assert.Equal(0, fast.DroppedPackets);
    }

    [Fact]
    public void Gop_larger_than_the_cache_is_not_served_partially()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { SegmentCacheBytes = 200 });
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        for (int i = 0; i < 10; i++)
        {
            camera.Frame();
        }

        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();
        Assert.Empty(ReceivedPacket.Drain(reader));
        camera.Keyframe();
        Assert.Equal(TestRtp.Sps, ReceivedPacket.Drain(reader)[0].Nal);
    }

    [Fact]
    public void Keyframe_larger_than_the_cache_still_starts_waiting_readers_at_that_keyframe()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { SegmentCacheBytes = 30 });
        var camera = new GopPublisher(stream);
        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();
        camera.Keyframe();
        camera.Frame();

        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        Assert.Contains(got, p => p.Nal == TestRtp.Idr);
        Assert.DoesNotContain(got.TakeWhile(p => p.Nal != TestRtp.Idr), p => p.Nal == TestRtp.NonIdr);
        Assert.Equal(TestRtp.NonIdr, got.Last(p => p.Track == 0).Nal);
    }

    [Fact]
    public void Each_stream_owns_its_cache_and_readers_so_publishing_one_leaves_another_untouched()
    {
        MediaStream cam1 = TestRtp.Stream("cam1");
        MediaStream cam2 = TestRtp.Stream("cam2");
        MediaStreamReader reader2 = Subscribe(cam2);
        var camera1 = new GopPublisher(cam1, tag: 1);
        camera1.Keyframe();
        camera1.Frame();

        Assert.Equal(6, cam1.CachedPackets);
        Assert.Equal(0, cam2.CachedPackets);
        Assert.Empty(ReceivedPacket.Drain(reader2));

        new GopPublisher(cam2, tag: 2).Keyframe();
        Assert.All(ReceivedPacket.Drain(reader2), p => Assert.Equal(2, p.Tag));
        Assert.Equal(6, cam1.CachedPackets);
    }

    [Fact]
    public void Audio_only_stream_serves_readers_at_once()
    {
        MediaStream stream = TestRtp.Stream("mic", sdp: TestRtp.AudioOnlySdp);
        MediaStreamReader reader = Subscribe(stream);
        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, TestRtp.Packet(1, 160, 0xD5, payloadType: 0)));
        Assert.Single(ReceivedPacket.Drain(reader));
    }

    [Fact]
    public void Closing_the_stream_completes_readers_after_what_they_had_queued()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader reader = Subscribe(stream);
        camera.Frame();
        stream.Close();

        Assert.True(reader.IsCompleted);
        Assert.Equal(6, ReceivedPacket.Drain(reader).Count);
        Assert.Equal(PublishResult.StreamClosed, stream.PublishRtp(0, TestRtp.Packet(100, 1, TestRtp.NonIdr)));
        Assert.True(stream.Completion.IsCompleted);

        MediaStreamReader late = Subscribe(stream);
        Assert.True(late.IsCompleted);
    }

    [Fact]
    public void Malformed_rtp_and_unknown_tracks_are_dropped_and_counted()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        Assert.Equal(PublishResult.MalformedRtp, stream.PublishRtp(0, new byte[] { 0x80, 96, 0, 1 }));
        Assert.Equal(PublishResult.MalformedRtp, stream.PublishRtp(0, new byte[] { 0x40, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1 }));
        Assert.Equal(PublishResult.UnknownTrack, stream.PublishRtp(5, TestRtp.Packet(1, 1, TestRtp.Idr)));
        Assert.Equal(PublishResult.UnknownTrack, stream.PublishRtp(-1, TestRtp.Packet(1, 1, TestRtp.Idr)));
        Assert.Equal(PublishResult.TooLarge, stream.PublishRtp(0, new byte[70000]));
        Assert.Equal(5, stream.PacketsRejected);
        Assert.Equal(0, stream.PacketsIn);
    }

    [Fact]
    public void Grant_for_another_stream_or_action_is_refused()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        Assert.Throws<UnauthorizedAccessException>(() => stream.Subscribe(TestRtp.Grant(TestRtp.Id("cam2"), StreamAction.Read)));
        Assert.Throws<UnauthorizedAccessException>(() => stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Publish)));
        Assert.Throws<UnauthorizedAccessException>(() => stream.Subscribe(default));
    }

    [Fact]
    public void Packet_of_another_stream_in_a_readers_queue_is_refused_and_counted()
    {
        MediaStream cam1 = TestRtp.Stream("cam1", sdp: TestRtp.AudioOnlySdp);
        MediaStream cam2 = TestRtp.Stream("cam2", sdp: TestRtp.AudioOnlySdp);
        MediaStreamReader reader = Subscribe(cam1);
        cam1.PublishRtp(0, TestRtp.Packet(1, 1, 0xD5, tag: 1, payloadType: 0));

        // Simulate the bug class this server exists to prevent: a foreign buffer in the queue.
        MediaPacket foreign = new MediaPacketPool(4).Rent(cam2.Id, cam2.Generation);
        foreign.PrepareWrite(13);
        Assert.True(reader.Offer(foreign));
        foreign.Release();
        Assert.Equal(0, cam1.Guard.Violations);

        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        Assert.Single(got);
        Assert.Equal("cam1", got[0].StampedPath);
        Assert.Equal(1, reader.IsolationViolations);
        Assert.Equal(1, cam1.Guard.Violations);
    }

    [Fact]
    public void Republished_path_is_a_new_generation_whose_packets_old_readers_refuse()
    {
        MediaStream first = TestRtp.Stream("cam1", sdp: TestRtp.AudioOnlySdp);
        MediaStream second = TestRtp.Stream("cam1", sdp: TestRtp.AudioOnlySdp);
        Assert.NotEqual(first.Generation, second.Generation);
        MediaStreamReader oldReader = Subscribe(first);
        MediaPacket packet = new MediaPacketPool(4).Rent(second.Id, second.Generation);
        packet.PrepareWrite(13);
        Assert.True(oldReader.Offer(packet));
        packet.Release();
        Assert.Empty(ReceivedPacket.Drain(oldReader));
        Assert.Equal(1, oldReader.IsolationViolations);
    }

    [Fact]
    public async Task Readers_coming_and_going_never_cost_the_publisher_a_packet()
    {
        // Subscribing and disposing take the publisher's gate for a moment on another thread; a
        // packet published meanwhile must wait that moment out, not be dropped as "closed".
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { ReaderQueuePackets = 256 });
        MediaStreamReader steady = Subscribe(stream);
        using var stop = new CancellationTokenSource();
        long received = 0;
        Task drain = Task.Factory.StartNew(
            () =>
            {
                bool last = false;
                while (!last)
                {
                    last = stop.IsCancellationRequested; // one more pass after the publisher is done
                    while (steady.TryRead(out MediaPacket packet))
                    {
                        Interlocked.Increment(ref received);
                        packet.Release();
                    }
                }
            },
            TaskCreationOptions.LongRunning);
        // More churning threads than cores, so one is now and then descheduled holding the gate.
        Task[] churn = [.. Enumerable.Range(0, Environment.ProcessorCount + 1).Select(_ => Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Subscribe(stream).Dispose();
                }
            },
            TaskCreationOptions.LongRunning))];

        const int Packets = 100_000;
        int refused = 0;
        byte[] idr = TestRtp.Packet(0, 0, TestRtp.Idr);
        byte[] other = TestRtp.Packet(0, 0, TestRtp.NonIdr);
        for (int i = 0; i < Packets; i++)
        {
            byte[] packet = i % 50 == 0 ? idr : other;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)i);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(i * 3000));
            if (stream.PublishRtp(0, packet) != PublishResult.Published)
            {
                refused++;
            }

            // Paced to the steady reader, so it never lags: a packet it never gets is a drop, and
            // the wait for it gives up at once.
            if (!SpinWait.SpinUntil(() => i - Volatile.Read(ref received) < 128, TimeSpan.FromSeconds(30)))
            {
                break;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll([.. churn, drain]);
        Assert.Equal(0, refused);
        Assert.Equal(Packets, received);
        Assert.Equal(0, steady.Resyncs);
    }
}
