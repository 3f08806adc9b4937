using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

/// <summary>
/// A publisher that can be asked for a keyframe (WHIP) is asked when a reader needs one the
/// segment cache cannot give, and only then.
/// </summary>
public class PublisherKeyframeRequestTests
{
    private static MediaStreamReader Subscribe(MediaStream stream) =>
        stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));

    [Fact]
    public void A_reader_joining_a_stream_without_a_cached_keyframe_asks_the_publisher_for_one()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        int requests = 0;
        stream.OnKeyframeNeeded(() => requests++);
        var camera = new GopPublisher(stream);
        camera.Frame(); // no keyframe yet: nothing cached

        using MediaStreamReader reader = Subscribe(stream);

        Assert.Equal(1, requests);
    }

    [Fact]
    public void A_reader_joining_a_stream_with_a_cached_keyframe_does_not_ask()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        int requests = 0;
        stream.OnKeyframeNeeded(() => requests++);
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        camera.Frame();

        using MediaStreamReader reader = Subscribe(stream);
        camera.Frame();

        Assert.Equal(0, requests);
    }

    [Fact]
    public void A_reader_of_a_stream_whose_keyframes_are_not_tracked_asks_when_it_joins()
    {
        const string Vp8 = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=test\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n";
        MediaStream stream = TestRtp.Stream("cam1", sdp: Vp8);
        int requests = 0;
        stream.OnKeyframeNeeded(() => requests++);

        using MediaStreamReader reader = Subscribe(stream);

        Assert.Equal(1, requests);
    }

    [Fact]
    public void A_reader_that_lagged_and_waits_for_the_next_keyframe_asks_for_it()
    {
        MediaStream stream = TestRtp.Stream("cam1", new StreamOptions { ReaderQueuePackets = 16 });
        var camera = new GopPublisher(stream);
        camera.Keyframe();
        using MediaStreamReader slow = Subscribe(stream);
        int requests = 0;
        stream.OnKeyframeNeeded(() => requests++);
        for (int i = 0; i < 20; i++)
        {
            camera.Frame(); // the reader never reads: its queue overflows
        }

        Assert.Equal(0, requests);
        ReceivedPacket.Drain(slow); // it lets go of its stale queue
        camera.Frame();

        Assert.Equal(1, requests);
    }
}
