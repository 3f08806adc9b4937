using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests.Sdp;

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

    [Fact]
    public void A_cameras_describe_is_written_back_with_crlf_and_without_the_lines_a_relay_drops()
    {
        Assert.True(SessionDescription.TryParse(CameraDescribe, out SessionDescription? sd, out _));
        string written = sd!.ToString();
        Assert.Equal(
            "v=0\r\no=- 1109162014219182 1 IN IP4 0.0.0.0\r\ns=Session\r\nt=0 0\r\na=control:*\r\na=range:npt=0-\r\n" +
            "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:4096\r\na=recvonly\r\na=rtpmap:96 H265/90000\r\n" +
            "a=fmtp:96 sprop-vps=QAEMAf//; sprop-sps=QgEBAWAA; sprop-pps=RAHA8vA8kAA=\r\na=control:trackID=1\r\n" +
            "m=audio 0 RTP/AVP 8\r\na=control:trackID=2\r\n",
            written);
        Assert.Null(sd.Media[0].GetAttribute("recvonly")); // a flag has no value...
        Assert.Contains(new SdpAttribute("recvonly", null), sd.Media[0].Attributes); // ...but is there
        Assert.Equal("npt=0-", sd.GetAttribute("range"));
    }

    [Fact]
    public void Session_level_lines_a_relay_has_no_use_for_are_skipped_but_timing_is_kept()
    {
        const string text = "\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=x\r\ni=info\r\nu=http://example.com\r\ne=a@example.com\r\n" +
            "p=+1 555\r\nb=AS:100\r\nt=3034423619 3042462419\r\nr=604800 3600 0 90000\r\nz=2882844526 -1h\r\nk=clear:x\r\n" +
            "m=video 5000/2 RTP/AVP 96 97\r\ni=video title\r\nb=TIAS:500000\r\n";
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? sd, out string? error), error);
        Assert.Equal("3034423619 3042462419", sd!.Timing);
        Assert.Empty(sd.Attributes);
        MediaDescription media = sd.Media.Single();
        Assert.Equal(5000, media.Port);
        Assert.Equal(2, media.PortCount);
        Assert.Equal(["96", "97"], media.Formats);
        Assert.Equal(["TIAS:500000"], media.Bandwidths);
        Assert.Contains("m=video 5000/2 RTP/AVP 96 97\r\nb=TIAS:500000\r\n", sd.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("i=", sd.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Written_values_cannot_inject_lines()
    {
        var sd = new SessionDescription { SessionName = "evil\r\na=control:rtsp://elsewhere/" };
        var media = new MediaDescription { Media = "video", Protocol = "RTP/AVP" };
        media.Formats.Add("96");
        media.Control = "trackID=1\r\nm=audio 0 RTP/AVP 0";
        sd.Media.Add(media);
        string written = sd.ToString();
        Assert.True(SessionDescription.TryParse(written, out SessionDescription? again, out _));
        Assert.Empty(again!.Attributes);
        Assert.Single(again.Media);
        Assert.StartsWith("trackID=1", again.Media[0].Control, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_is_deep()
    {
        Assert.True(SessionDescription.TryParse(FfmpegAnnounce, out SessionDescription? sd, out _));
        SessionDescription copy = sd!.Clone();
        copy.Media[0].Control = "trackID=9";
        copy.Media[0].Port = 4000;
        copy.Media[0].Formats.Add("98");
        copy.Attributes.Clear();
        Assert.Equal(FfmpegAnnounce, sd.ToString());
        Assert.Equal("trackID=9", copy.Media[0].Control);
    }

    [Fact]
    public void Fmtp_lookup_matches_the_whole_payload_type()
    {
        var media = new MediaDescription();
        media.Attributes.Add(new SdpAttribute("fmtp", "960 a=1"));
        media.Attributes.Add(new SdpAttribute("fmtp", "96 packetization-mode=1"));
        media.Attributes.Add(new SdpAttribute("fmtp", "97"));
        Assert.Equal("packetization-mode=1", media.GetFmtp(96));
        Assert.Equal(string.Empty, media.GetFmtp(97));
        Assert.Null(media.GetFmtp(98));
    }

    [Fact]
    public void Fmtp_parameters_keep_equals_signs_in_values()
    {
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse(" a=b ;C=d==;; flag ; =orphan; config=AB=CD");
        Assert.Equal("b", fmtp["A"]);
        Assert.Equal("d==", fmtp["c"]);
        Assert.Equal(string.Empty, fmtp["flag"]);
        Assert.Equal("AB=CD", fmtp["config"]);
        Assert.Equal(4, fmtp.Count);
        Assert.Empty(FmtpParameters.Parse(null));
    }

    [Theory]
    [InlineData("m=audio 0 RTP/AVP 0", CodecKind.Pcmu, "PCMU", 8000)]
    [InlineData("m=audio 0 RTP/AVP 9", CodecKind.G722, "G722", 8000)]
    [InlineData("m=audio 0 RTP/AVP 14", CodecKind.Mpa, "MPA", 90000)]
    [InlineData("m=audio 0 RTP/AVP 8 0 101", CodecKind.Pcma, "PCMA", 8000)]
    [InlineData("m=video 0 RTP/AVP 96\r\na=rtpmap:96 HEVC/90000", CodecKind.H265, "HEVC", 90000)]
    [InlineData("m=audio 0 RTP/AVP 97\r\na=rtpmap:97 mpeg4-generic/44100/2", CodecKind.Aac, "mpeg4-generic", 44100)]
    [InlineData("m=audio 0 RTP/AVP 96\r\na=rtpmap:96 MP4A-LATM/90000", CodecKind.Mpeg4Audio, "MP4A-LATM", 90000)]
    [InlineData("m=video 0 RTP/AVP 0\r\na=rtpmap:0 VP8/90000", CodecKind.Vp8, "VP8", 90000)] // rtpmap wins over the static table
    [InlineData("m=video 0 RTP/AVP 98", CodecKind.Unknown, "", 90000)] // dynamic without rtpmap
    public void Media_format_from_static_and_dynamic_payload_types(string section, CodecKind codec, string name, int clockRate)
    {
        Assert.True(SessionDescription.TryParse("v=0\r\n" + section + "\r\n", out SessionDescription? sd, out string? error), error);
        MediaFormat format = MediaFormat.FromMediaDescription(sd!.Media[0]);
        Assert.Equal(codec, format.Codec);
        Assert.Equal(name, format.EncodingName);
        Assert.Equal(clockRate, format.ClockRate);
        Assert.Equal(sd.Media[0].Media == "video", format.IsVideo);
    }

    [Fact]
    public void Media_format_of_a_non_rtp_section()
    {
        Assert.True(SessionDescription.TryParse("v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n", out SessionDescription? sd, out _));
        MediaFormat format = MediaFormat.FromMediaDescription(sd!.Media[0]);
        Assert.Equal(-1, format.PayloadType);
        Assert.Equal(CodecKind.Unknown, format.Codec);
        Assert.False(format.IsAudio || format.IsVideo);
        Assert.Empty(format.Fmtp);
    }

    [Theory]
    [InlineData("v=0\r\nm=video 0 RTP/AVP\r\n")] // no format
    [InlineData("V=0\r\n")]
    [InlineData("v=0\r\n=0\r\n")]
    [InlineData("v=0\r\na\r\n")]
    [InlineData("\u0000\u0001\u00ff")]
    [InlineData("v=0\r\nm=video 0/1/2 RTP/AVP 96\r\n")]
    [InlineData("v=0\r\nm=video -1 RTP/AVP 96\r\n")]
    public void More_garbage_is_refused(string text)
    {
        Assert.False(SessionDescription.TryParse(text, out SessionDescription? sd, out string? error));
        Assert.Null(sd);
        Assert.NotNull(error);
    }

    [Fact]
    public void Exactly_the_media_description_cap_is_accepted()
    {
        string text = "v=0\r\n" + string.Concat(Enumerable.Repeat("m=audio 0 RTP/AVP 0\r\n", SessionDescription.MaxMediaDescriptions));
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? sd, out _));
        Assert.Equal(64, sd!.Media.Count);
    }
}
