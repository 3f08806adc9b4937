using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests;

/// <summary>Publishes H.264-shaped access units (SPS, PPS, IDR, then P frames) with audio between them.</summary>
internal sealed class GopPublisher(MediaStream stream, byte tag = 0)
{
    private ushort _videoSeq;
    private ushort _audioSeq;
    private uint _timestamp;

    public void Keyframe()
    {
        _timestamp += 3000;
        Publish(0, TestRtp.Packet(_videoSeq++, _timestamp, TestRtp.Sps, tag, marker: false));
        Publish(0, TestRtp.Packet(_videoSeq++, _timestamp, TestRtp.Pps, tag, marker: false));
        Publish(0, TestRtp.Packet(_videoSeq++, _timestamp, TestRtp.Idr, tag, marker: true));
        Audio();
    }

    public void Frame()
    {
        _timestamp += 3000;
        Publish(0, TestRtp.Packet(_videoSeq++, _timestamp, TestRtp.NonIdr, tag, marker: true));
        Audio();
    }

    public void Audio() => Publish(1, TestRtp.Packet(_audioSeq++, _timestamp, 0xFC, tag, payloadType: 97));

    private void Publish(int track, byte[] packet) =>
        Assert.Equal(PublishResult.Published, stream.PublishRtp(track, packet));
}
