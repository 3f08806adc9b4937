using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Whip;

namespace MediaServer.WebRtc.Tests.Whip;

/// <summary>
/// A WHIP offer is answered recvonly with one publishable payload type per m-section, without RTX,
/// FEC or header extensions, and what is accepted becomes the published stream's description.
/// </summary>
public class WhipAnswerBuilderTests
{
    private const string Fingerprint =
        "sha-256 66:F0:75:31:6C:D6:23:50:38:52:2C:48:81:E7:AC:FF:70:CC:11:0D:AA:F3:34:25:E5:C9:27:F2:C7:0B:35:FC";

    private static readonly LocalTransportDescription Local = new(
        "serverufragserver", "serverpasswordserverpassword00", "sha-256 AA:BB", [new IceCandidate("127.0.0.1", 8189)]);

    /// <summary>A sendonly m-section as Chromium offers it: its codecs, then RTX, RED and FEC, header extensions.</summary>
    private static string Video(string mid, string codecs, string ufrag = "browserufrag", string direction = "sendonly", string extra = "") =>
        $"m=video 9 UDP/TLS/RTP/SAVPF {codecs}\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{ufrag}passwordpasswordpw\r\na=fingerprint:{Fingerprint}\r\na=mid:{mid}\r\n" +
        $"a=extmap:1 urn:ietf:params:rtp-hdrext:toffset\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\na={direction}\r\na=rtcp-mux\r\na=rtcp-rsize\r\n" +
        "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 goog-remb\r\n" +
        "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n" +
        "a=rtpmap:98 VP9/90000\r\na=rtcp-fb:98 nack\r\na=rtcp-fb:98 nack pli\r\na=fmtp:98 profile-id=2\r\n" +
        "a=rtpmap:45 AV1/90000\r\na=rtcp-fb:45 nack\r\na=rtcp-fb:45 nack pli\r\na=fmtp:45 level-idx=5;profile=0;tier=0\r\n" +
        "a=rtpmap:102 H264/90000\r\na=rtcp-fb:102 nack\r\na=rtcp-fb:102 nack pli\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f\r\n" +
        "a=rtpmap:104 H264/90000\r\na=rtcp-fb:104 ccm fir\r\na=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" +
        "a=rtpmap:116 red/90000\r\na=rtpmap:117 ulpfec/90000\r\n" + extra;

    private static string Audio(string mid, string ufrag = "browserufrag") =>
        $"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{ufrag}passwordpasswordpw\r\na=fingerprint:{Fingerprint}\r\na=mid:{mid}\r\n" +
        "a=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:63 red/48000/2\r\n";

    private static WebRtcOffer Offer(string? group, params string[] sections)
    {
        string sdp = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + (group is null ? "" : $"a=group:{group}\r\n") + string.Concat(sections);
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out string? error), error);
        return offer!;
    }

    private static (WhipNegotiation Negotiation, SessionDescription Answer) Build(WebRtcOffer offer)
    {
        Assert.Equal(OfferRejection.None, WhipAnswerBuilder.TryBuild(offer, Local, out WhipNegotiation? negotiation));
        Assert.True(SessionDescription.TryParse(negotiation!.Answer.Sdp, out SessionDescription? answer, out string? error), error);
        return (negotiation, answer!);
    }

    private static IReadOnlyList<MediaTrack> Published(WhipNegotiation negotiation)
    {
        // The published description must make sense to the stream as an RTSP ANNOUNCE would.
        Assert.True(SessionDescription.TryParse(negotiation.Published.ToString(), out SessionDescription? published, out string? error), error);
        return published!.Media.Select((m, i) => new MediaTrack(i, m)).ToList();
    }

    [Theory]
    [InlineData("96 97 98 45 102 104 116 117", "VP8", CodecKind.Vp8)]
    [InlineData("98 96 97 45 102 104 116 117", "VP9", CodecKind.Vp9)]
    [InlineData("45 96 97 98 102 104 116 117", "AV1", CodecKind.Av1)]
    [InlineData("117 116 102 104 96 97", "H264", CodecKind.H264)]
    public void The_publishers_first_publishable_codec_is_answered_recvonly_and_published(string order, string name, CodecKind codec)
    {
        (WhipNegotiation negotiation, SessionDescription answer) = Build(Offer("BUNDLE 0 1", Video("0", order), Audio("1")));

        MediaDescription video = answer.Media[0];
        Assert.Single(video.Formats);
        Assert.Equal(name, video.GetRtpMap(int.Parse(video.Formats[0]))!.EncodingName);
        Assert.True(video.HasAttribute("recvonly"));
        Assert.Equal("passive", video.GetAttribute("setup"));
        Assert.Empty(video.GetAttributes("extmap"));
        Assert.DoesNotContain("rtx", negotiation.Answer.Sdp, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ulpfec", negotiation.Answer.Sdp, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("red/", negotiation.Answer.Sdp, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("opus", answer.Media[1].GetRtpMap(111)!.EncodingName);

        IReadOnlyList<MediaTrack> tracks = Published(negotiation);
        Assert.Equal([codec, CodecKind.Opus], tracks.Select(t => t.Format.Codec));
        Assert.Equal(int.Parse(video.Formats[0]), tracks[0].Format.PayloadType);
        Assert.Equal(["trackID=0", "trackID=1"], negotiation.Published.Media.Select(m => m.Control));
    }

    [Fact]
    public void H264_is_taken_only_in_packetization_mode_1_and_keeps_its_fmtp()
    {
        (WhipNegotiation negotiation, SessionDescription answer) = Build(Offer(null, Video("0", "102 104")));

        Assert.Equal(["104"], answer.Media[0].Formats);
        Assert.Contains("packetization-mode=1", answer.Media[0].GetFmtp(104), StringComparison.Ordinal);
        Assert.Contains("packetization-mode=1", negotiation.Published.Media[0].GetFmtp(104), StringComparison.Ordinal);
        Assert.Equal(["104 ccm fir"], answer.Media[0].GetAttributes("rtcp-fb"));
    }

    [Fact]
    public void Feedback_the_publisher_takes_is_answered_so_it_answers_nacks_and_plis()
    {
        (WhipNegotiation negotiation, SessionDescription answer) = Build(Offer(null, Video("0", "96")));

        Assert.Equal(["96 nack", "96 nack pli"], answer.Media[0].GetAttributes("rtcp-fb"));
        NegotiatedTrack track = Assert.Single(negotiation.Answer.Tracks);
        Assert.True(track.Nack);
        Assert.True(track.Pli);
    }

    [Fact]
    public void The_publishers_ssrc_is_the_first_of_its_fid_group_or_its_first_ssrc()
    {
        string fid = "a=ssrc-group:FID 1111 2222\r\na=ssrc:1111 cname:x\r\na=ssrc:2222 cname:x\r\n";
        (WhipNegotiation grouped, _) = Build(Offer(null, Video("0", "96 97", extra: fid)));
        (WhipNegotiation single, _) = Build(Offer(null, Video("0", "96", extra: "a=ssrc:3333 cname:x\r\n")));
        (WhipNegotiation none, _) = Build(Offer(null, Video("0", "96")));

        Assert.Equal(1111u, grouped.Answer.Tracks[0].Ssrc);
        Assert.Equal(3333u, single.Answer.Tracks[0].Ssrc);
        Assert.Equal(0u, none.Answer.Tracks[0].Ssrc);
    }

    [Fact]
    public void An_m_section_that_does_not_send_is_rejected_and_the_others_are_published()
    {
        (WhipNegotiation negotiation, SessionDescription answer) = Build(Offer("BUNDLE 0 1", Video("0", "96", direction: "recvonly"), Audio("1")));

        Assert.Equal(0, answer.Media[0].Port);
        Assert.True(answer.Media[0].HasAttribute("inactive"));
        Assert.Equal("BUNDLE 1", answer.GetAttribute("group"));
        Assert.Equal([CodecKind.Opus], Published(negotiation).Select(t => t.Format.Codec));
    }

    [Fact]
    public void An_offer_with_nothing_publishable_is_refused()
    {
        string h263 = Video("0", "96").Replace("VP8/90000", "H263/90000", StringComparison.Ordinal);
        WebRtcOffer offer = Offer(null, h263.Replace("m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF 96 116", StringComparison.Ordinal));

        Assert.Equal(OfferRejection.NothingPlayable, WhipAnswerBuilder.TryBuild(offer, Local, out WhipNegotiation? negotiation));
        Assert.Null(negotiation);
    }

    [Fact]
    public void An_unbundled_offer_gets_one_transport_per_m_section()
    {
        (WhipNegotiation negotiation, SessionDescription answer) = Build(Offer(null, Video("0", "96", "videoufrag"), Audio("1", "audioufrag")));

        Assert.False(negotiation.Answer.Bundled);
        Assert.Equal(2, negotiation.Answer.Transports.Count);
        Assert.Null(answer.GetAttribute("group"));
        Assert.NotEqual(answer.Media[0].GetAttribute("ice-ufrag"), answer.Media[1].GetAttribute("ice-ufrag"));
        Assert.Equal([0, 1], negotiation.Answer.Tracks.Select(t => t.TransportIndex));
    }
}
