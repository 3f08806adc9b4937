using System.Buffers.Binary;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Attribution;

/// <summary>A publisher's track is locked on its first packet's SSRC; packets of any other SSRC never enter the stream.</summary>
public class PublisherSsrcLockTests
{
    private static byte[] Packet(uint ssrc, ushort seq, byte nal, byte tag)
    {
        byte[] packet = TestRtp.Packet(seq, 3000, nal, tag);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        return packet;
    }

    [Fact]
    public void Foreign_ssrc_packets_are_refused_before_the_cache_and_the_readers()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        Assert.Null(stream.Tracks[0].PublisherSsrc);

        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, Packet(0xA, 1, TestRtp.Sps, tag: 1)));
        Assert.Equal(PublishResult.SsrcMismatch, stream.PublishRtp(0, Packet(0xB, 2, TestRtp.Idr, tag: 2)));
        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, Packet(0xA, 2, TestRtp.Pps, tag: 1)));
        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, Packet(0xA, 3, TestRtp.Idr, tag: 1)));

        // Another track locks on its own first SSRC.
        Assert.Equal(PublishResult.Published, stream.PublishRtp(1, Packet(0xB, 1, 0xFC, tag: 1)));

        Assert.Equal(0xAu, stream.Tracks[0].PublisherSsrc);
        Assert.Equal(0xBu, stream.Tracks[1].PublisherSsrc);
        Assert.Equal(4, stream.PacketsIn);
        Assert.Equal(1, stream.PacketsRejected);
        List<ReceivedPacket> got = ReceivedPacket.Drain(reader);
        Assert.Equal([TestRtp.Sps, TestRtp.Pps, TestRtp.Idr, 0xFC], got.Select(p => p.Nal));
        Assert.All(got, p => Assert.Equal(1, p.Tag));
    }

    [Fact]
    public void Rtcp_about_another_ssrc_is_not_taken_for_the_publishers_once_the_track_is_locked()
    {
        MediaStream stream = TestRtp.Stream("cam1");
        MediaTrack track = stream.Tracks[0];
        Assert.True(track.IsPublisherSsrc(0xB));

        stream.PublishRtp(0, Packet(0xA, 1, TestRtp.Sps, tag: 1));

        Assert.True(track.IsPublisherSsrc(0xA));
        Assert.False(track.IsPublisherSsrc(0xB));
    }
}
