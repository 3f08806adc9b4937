using MediaServer.Core.Egress;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;
using MediaServer.Media.Sdp;

namespace MediaServer.Core.Tests.Egress;

public class TrackRepacketizersTests
{
    private const string Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==\r\n" +
        "a=control:streamid=0\r\n" +
        "m=video 0 RTP/AVP 97\r\na=rtpmap:97 H265/90000\r\na=control:streamid=1\r\n" +
        "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:streamid=2\r\n";

    [Fact]
    public void Chooses_by_codec_and_leaves_other_payloads_to_pass_through()
    {
        IReadOnlyList<MediaTrack> tracks = Tracks();

        Assert.IsType<H264Repacketizer>(TrackRepacketizers.For(CodecKind.H264, tracks[0], 1188));
        Assert.IsType<H265Repacketizer>(TrackRepacketizers.For(CodecKind.H265, tracks[1], 1188));
        Assert.Null(TrackRepacketizers.For(CodecKind.Pcmu, tracks[2], 1188));
    }

    [Fact]
    public void H264_is_seeded_with_the_sdps_parameter_sets_and_sends_them_before_a_keyframe()
    {
        TrackRepacketizer repacketizer = TrackRepacketizers.For(CodecKind.H264, Tracks()[0], 1188)!;
        var sink = new CollectingSink();

        RepacketizeResult result = repacketizer.Push([0x65, 0x88, 0x84, 0x00], marker: true, timestamp: 3000, sink);

        Assert.Equal(RepacketizeResult.Sent, result);
        Assert.Equal(2, sink.Payloads.Count);
        Assert.Equal(24, sink.Payloads[0][0] & 0x1F); // STAP-A
        Assert.Equal(7, sink.Payloads[0][3] & 0x1F); // its first unit: the SPS
        Assert.Equal([0x65, 0x88, 0x84, 0x00], sink.Payloads[1]);
    }

    private static IReadOnlyList<MediaTrack> Tracks()
    {
        Assert.True(SessionDescription.TryParse(Sdp, out SessionDescription? sdp, out string? error), error);
        Assert.True(StreamId.TryCreate("cam", out StreamId id));
        return new MediaStream(id, sdp!, new StreamOptions()).Tracks;
    }

    private sealed class CollectingSink : IRtpPayloadSink
    {
        public List<byte[]> Payloads { get; } = [];

        public void OnPayload(ReadOnlySpan<byte> payload, bool marker) => Payloads.Add(payload.ToArray());
    }
}
