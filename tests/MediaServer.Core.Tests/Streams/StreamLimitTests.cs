using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

public class StreamLimitTests
{
    private const int PacketBytes = 22; // TestRtp.Packet with its default padding

    [Fact]
    public void A_reader_past_its_queue_bytes_is_dropped_to_the_next_keyframe_even_with_packet_slots_free()
    {
        var options = new StreamOptions { ReaderQueuePackets = 4096, ReaderQueueBytes = PacketBytes * 10 };
        MediaStream stream = TestRtp.Stream("cam1", options);
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        MediaStreamReader slow = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        MediaStreamReader fast = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        Assert.Equal(4 * PacketBytes, slow.QueuedBytes);
        ReceivedPacket.Drain(fast);

        for (int i = 0; i < 5; i++)
        {
            camera.Frame(); // two packets each: the slow reader passes ten packets' bytes
            Assert.Equal(2, ReceivedPacket.Drain(fast).Count);
        }

        Assert.Equal(1, slow.Resyncs);
        Assert.True(slow.QueuedBytes <= options.ReaderQueueBytes, $"{slow.QueuedBytes} bytes queued");
        Assert.Empty(ReceivedPacket.Drain(slow));
        Assert.Equal(0, slow.QueuedBytes);

        camera.Keyframe();
        Assert.Equal([TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC], ReceivedPacket.Drain(slow).Select(p => p.Nal));
        Assert.Equal(4, ReceivedPacket.Drain(fast).Count);
        Assert.Equal(0, fast.Resyncs);
        Assert.Equal(0, fast.QueuedBytes);
    }

    [Fact]
    public void A_cached_gop_larger_than_a_readers_byte_budget_waits_for_the_next_keyframe()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { ReaderQueueBytes = PacketBytes * 5 });
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        Assert.Equal(0, reader.QueuedBytes);
        Assert.Empty(ReceivedPacket.Drain(reader));
    }

    [Fact]
    public void Readers_per_path_are_limited_and_a_slot_frees_when_a_reader_leaves()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { MaxReadersPerPath = 2 });
        StreamGrant grant = TestRtp.Grant(stream.Id, StreamAction.Read);
        Assert.True(stream.TrySubscribe(grant, out MediaStreamReader? first));
        Assert.True(stream.TrySubscribe(grant, out _));
        Assert.False(stream.TrySubscribe(grant, out MediaStreamReader? refused));
        Assert.Null(refused);

        // On an idle stream (no packet to fan out) the slot comes back at once, so viewers that
        // come and go cannot use up the path's readers while the camera is quiet.
        first!.Dispose();
        Assert.Equal(1, stream.ReaderCount);
        Assert.True(stream.TrySubscribe(grant, out _));
    }

    [Fact]
    public void Publishers_are_limited_but_a_replacement_on_the_same_path_is_not_counted()
    {
        var options = new StreamOptions { MaxPublishers = 1 };
        var registry = new StreamRegistry(options);
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$", OverridePublisher = true }]);
        StreamGrant Publish(string path)
        {
            Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(TestRtp.Id(path), StreamAction.Publish, Principal.Everyone, out StreamGrant grant));
            return grant;
        }

        Assert.Equal(PublishOutcome.Published, registry.TryPublish(Publish("cam1"), TestRtp.Sdp(), out _));
        Assert.Equal(PublishOutcome.TooManyPublishers, registry.TryPublish(Publish("cam2"), TestRtp.Sdp(), out MediaStream? refused));
        Assert.Null(refused);
        Assert.Equal(PublishOutcome.ReplacedPrevious, registry.TryPublish(Publish("cam1"), TestRtp.Sdp(), out MediaStream? replacement));
        registry.Unpublish(replacement!);
        Assert.Equal(PublishOutcome.Published, registry.TryPublish(Publish("cam2"), TestRtp.Sdp(), out _));
    }
}
