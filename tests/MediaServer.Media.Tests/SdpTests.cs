using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests;

public class SdpTests
{
    // What ffmpeg 5 announces for an H.264 + AAC file.
    private const string FfmpegAnnounce =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=tool:libavformat 59.27.100\r\n" +
        "m=video 0 RTP/AVP 96\r\nb=AS:200\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==; profile-level-id=420029\r\n" +
        "a=control:streamid=0\r\n" +
        "m=audio 0 RTP/AVP 97\r\nb=AS:64\r\na=rtpmap:97 MPEG4-GENERIC/48000/2\r\n" +
        "a=fmtp:97 profilelevelid=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1190\r\n" +
        "a=control:streamid=1\r\n";

    // The shape of many IP cameras' DESCRIBE answers: LF line ends, session-level control, trackID.
    private const string CameraDescribe =
        "v=0\no=- 1109162014219182 1 IN IP4 0.0.0.0\ns=Session\ni=camera\nt=0 0\na=control:*\na=range:npt=0-\n" +
        "m=video 0 RTP/AVP 96\nc=IN IP4 0.0.0.0\nb=AS:4096\na=recvonly\na=rtpmap:96 H265/90000\n" +
        "a=fmtp:96 sprop-vps=QAEMAf//; sprop-sps=QgEBAWAA; sprop-pps=RAHA8vA8kAA=\na=control:trackID=1\n" +
        "m=audio 0 RTP/AVP 8\na=control:trackID=2  \n";

    [Fact]
    public void Parses_what_ffmpeg_announces()
    {
        Assert.True(SessionDescription.TryParse(FfmpegAnnounce, out SessionDescription? sd, out string? error), error);
        Assert.Equal("No Name", sd!.SessionName);
        Assert.Equal(2, sd.Media.Count);
        MediaDescription video = sd.Media[0];
        Assert.Equal("video", video.Media);
        Assert.Equal(["96"], video.Formats);
        Assert.Equal("streamid=0", video.Control);
        Assert.Equal(["AS:200"], video.Bandwidths);
        Assert.Equal(new RtpMap(96, "H264", 90000, null), video.GetRtpMap(96));
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse(video.GetFmtp(96));
        Assert.Equal("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", fmtp["sprop-parameter-sets"]);
        Assert.Equal("1", fmtp["PACKETIZATION-MODE"]);

        MediaFormat audio = MediaFormat.FromMediaDescription(sd.Media[1]);
        Assert.Equal(CodecKind.Aac, audio.Codec);
        Assert.Equal(48000, audio.ClockRate);
        Assert.Equal(2, audio.Channels);
        Assert.Equal("1190", audio.Fmtp["config"]);
    }

    [Fact]
    public void Parses_a_cameras_describe_with_static_payload_types()
    {
        Assert.True(SessionDescription.TryParse(CameraDescribe, out SessionDescription? sd, out string? error), error);
        Assert.Equal("*", sd!.GetAttribute("control"));
        Assert.Equal("trackID=1", sd.Media[0].Control);
        Assert.True(sd.Media[0].HasAttribute("recvonly"));
        Assert.Equal("IN IP4 0.0.0.0", sd.Media[0].Connection);
        Assert.Equal(CodecKind.H265, MediaFormat.FromMediaDescription(sd.Media[0]).Codec);

        MediaFormat pcma = MediaFormat.FromMediaDescription(sd.Media[1]);
        Assert.Equal(CodecKind.Pcma, pcma.Codec);
        Assert.Equal(8000, pcma.ClockRate);
        Assert.True(pcma.IsAudio);
    }

    [Fact]
    public void Writes_what_it_parsed()
    {
        Assert.True(SessionDescription.TryParse(FfmpegAnnounce, out SessionDescription? sd, out _));
        string written = sd!.ToString();
        Assert.Equal(FfmpegAnnounce, written);
        Assert.True(SessionDescription.TryParse(written, out SessionDescription? again, out _));
        Assert.Equal(written, again!.ToString());
    }

    [Fact]
    public void Attributes_can_be_replaced_and_removed()
    {
        var media = new MediaDescription();
        media.Control = "a";
        media.Control = "b";
        Assert.Equal(["b"], media.GetAttributes("control"));
        media.SetAttribute("control", null);
        Assert.Null(media.Control);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("v=1\r\n")]
    [InlineData("o=- 0 0 IN IP4 1.2.3.4\r\nv=0\r\n")]
    [InlineData("v=0\r\nm=video\r\n")]
    [InlineData("v=0\r\nm=video x RTP/AVP 96\r\n")]
    [InlineData("v=0\r\nm=video 70000 RTP/AVP 96\r\n")]
    [InlineData("v=0\r\nm=video 0/0 RTP/AVP 96\r\n")]
    [InlineData("v=0\r\nthis line has no type\r\n")]
    [InlineData("v=0\r\na=\r\n")]
    [InlineData("v=0\r\nv=0\r\n")]
    public void Garbage_is_refused_with_a_reason(string text)
    {
        Assert.False(SessionDescription.TryParse(text, out SessionDescription? sd, out string? error));
        Assert.Null(sd);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Too_many_media_descriptions_are_refused()
    {
        string text = "v=0\r\n" + string.Concat(Enumerable.Repeat("m=audio 0 RTP/AVP 0\r\n", SessionDescription.MaxMediaDescriptions + 1));
        Assert.False(SessionDescription.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("96 H264/90000", 96, "H264", 90000, null)]
    [InlineData("97 MPEG4-GENERIC/48000/2", 97, "MPEG4-GENERIC", 48000, 2)]
    [InlineData(" 111 opus/48000/2 ", 111, "opus", 48000, 2)]
    public void Rtpmap_parses(string value, int pt, string name, int clock, int? channels)
    {
        Assert.True(RtpMap.TryParse(value, out RtpMap? map));
        Assert.Equal(new RtpMap(pt, name, clock, channels), map);
    }

    [Theory]
    [InlineData("")]
    [InlineData("96")]
    [InlineData("x H264/90000")]
    [InlineData("200 H264/90000")]
    [InlineData("96 H264")]
    [InlineData("96 H264/0")]
    [InlineData("96 opus/48000/x")]
    public void Bad_rtpmaps_are_refused(string value) => Assert.False(RtpMap.TryParse(value, out _));
}
