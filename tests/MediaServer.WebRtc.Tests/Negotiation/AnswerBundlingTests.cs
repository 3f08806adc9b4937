using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Tests.Negotiation;

/// <summary>
/// The answer follows the offer's bundling (RFC 8843): BUNDLE only when offered, bundle-only
/// m-sections accepted into the group, one transport per m-section otherwise, and rejected
/// m-sections that strict parsers (GStreamer's webrtcbin) still accept.
/// </summary>
public class AnswerBundlingTests
{
    private const string Fingerprint =
        "sha-256 66:F0:75:31:6C:D6:23:50:38:52:2C:48:81:E7:AC:FF:70:CC:11:0D:AA:F3:34:25:E5:C9:27:F2:C7:0B:35:FC";

    private static readonly LocalTransportDescription Local = new(
        "serverufragserver", "serverpasswordserverpassword00", "sha-256 AA:BB", [new IceCandidate("127.0.0.1", 8189)]);

    private const string H264Track =
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n";

    private const string OpusTrack = "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";

    private const string AacTrack =
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 mpeg4-generic/48000/2\r\na=fmtp:97 streamtype=5;mode=AAC-hbr;sizelength=13\r\n";

    /// <summary>An m-section as webrtcbin 1.22 offers it (recvonly, its own ICE credentials).</summary>
    private static string Video(string mid, string ufrag, bool bundleOnly = false) =>
        $"m=video {(bundleOnly ? 0 : 9)} UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{ufrag}passwordpasswordpw\r\n{(bundleOnly ? "a=bundle-only\r\n" : "")}" +
        "a=rtcp-mux\r\na=recvonly\r\na=rtpmap:102 H264/90000\r\na=rtcp-fb:102 nack pli\r\n" +
        $"a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\na=mid:{mid}\r\na=fingerprint:{Fingerprint}\r\n";

    private static string Audio(string mid, string ufrag, bool bundleOnly = false) =>
        $"m=audio {(bundleOnly ? 0 : 9)} UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{ufrag}passwordpasswordpw\r\n{(bundleOnly ? "a=bundle-only\r\n" : "")}" +
        $"a=rtcp-mux\r\na=recvonly\r\na=rtpmap:111 OPUS/48000/2\r\na=mid:{mid}\r\na=fingerprint:{Fingerprint}\r\n";

    private static WebRtcOffer Offer(string? group, params string[] sections)
    {
        string sdp = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + (group is null ? "" : $"a=group:{group}\r\n") + string.Concat(sections);
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out string? error), error);
        return offer!;
    }

    private static List<MediaTrack> Tracks(params string[] sections)
    {
        string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" + string.Concat(sections);
        Assert.True(SessionDescription.TryParse(sdp, out SessionDescription? description, out string? error), error);
        return description!.Media.Select((m, i) => new MediaTrack(i, m)).ToList();
    }

    private static (WebRtcAnswer Answer, SessionDescription Sdp) Answer(WebRtcOffer offer, params string[] tracks)
    {
        Assert.Equal(OfferRejection.None, AnswerBuilder.TryBuild(offer, Tracks(tracks), Local, out WebRtcAnswer? answer));
        Assert.True(SessionDescription.TryParse(answer!.Sdp, out SessionDescription? sdp, out string? error), error);
        return (answer, sdp!);
    }

    [Fact]
    public void Unbundled_offer_gets_no_bundle_and_a_transport_per_m_section_with_its_own_credentials()
    {
        (WebRtcAnswer answer, SessionDescription sdp) = Answer(
            Offer(null, Video("video0", "videoufrag"), Audio("audio1", "audioufrag")), H264Track, OpusTrack);

        Assert.False(answer.Bundled);
        Assert.Null(sdp.GetAttribute("group"));
        Assert.Equal(2, answer.Transports.Count);
        Assert.Equal(["video0"], answer.Transports[0].Mids);
        Assert.Equal(["audio1"], answer.Transports[1].Mids);
        Assert.Equal("videoufrag", answer.Transports[0].Remote.IceUfrag);
        Assert.Equal("audioufrag", answer.Transports[1].Remote.IceUfrag);
        Assert.Equal([0, 1], answer.Tracks.Select(t => t.TransportIndex));

        string? videoUfrag = sdp.Media[0].GetAttribute("ice-ufrag");
        string? audioUfrag = sdp.Media[1].GetAttribute("ice-ufrag");
        Assert.Equal(Local.IceUfrag, videoUfrag);
        Assert.Equal(answer.Transports[1].Local.IceUfrag, audioUfrag);
        Assert.NotEqual(videoUfrag, audioUfrag);
        Assert.NotEqual(sdp.Media[0].GetAttribute("ice-pwd"), sdp.Media[1].GetAttribute("ice-pwd"));
        Assert.All(sdp.Media, m =>
        {
            Assert.Equal(8189, m.Port);
            Assert.NotEmpty(m.GetAttributes("candidate"));
            Assert.Equal("passive", m.GetAttribute("setup"));
        });
    }

    [Fact]
    public void Bundle_only_m_section_of_a_max_bundle_offer_is_accepted_into_the_group()
    {
        (WebRtcAnswer answer, SessionDescription sdp) = Answer(
            Offer("BUNDLE video0 audio1", Video("video0", "sharedufrag"), Audio("audio1", "sharedufrag", bundleOnly: true)),
            H264Track, OpusTrack);

        Assert.True(answer.Bundled);
        Assert.Equal("BUNDLE video0 audio1", sdp.GetAttribute("group"));
        Assert.Equal(["H264", "opus"], answer.Tracks.Select(t => t.Format.EncodingName));
        AnsweredTransport transport = Assert.Single(answer.Transports);
        Assert.Equal(["video0", "audio1"], transport.Mids);

        // The tagged m-section lists the candidates; the other one shares its address and credentials.
        MediaDescription tagged = sdp.Media[0];
        MediaDescription bundled = sdp.Media[1];
        Assert.NotEmpty(tagged.GetAttributes("candidate"));
        Assert.Empty(bundled.GetAttributes("candidate"));
        Assert.Equal(tagged.Port, bundled.Port);
        Assert.NotEqual(0, bundled.Port);
        Assert.False(bundled.HasAttribute("bundle-only"));
        Assert.Equal(tagged.GetAttribute("ice-ufrag"), bundled.GetAttribute("ice-ufrag"));
        Assert.Equal(tagged.GetAttribute("ice-pwd"), bundled.GetAttribute("ice-pwd"));
        Assert.Equal("passive", bundled.GetAttribute("setup"));
        Assert.True(bundled.HasAttribute("sendonly"));
    }

    [Fact]
    public void Group_holds_only_accepted_mids_and_the_tag_moves_when_the_offerers_tag_is_rejected()
    {
        (WebRtcAnswer answer, SessionDescription sdp) = Answer(
            Offer("BUNDLE audio0 video1", Audio("audio0", "sharedufrag"), Video("video1", "sharedufrag")), H264Track, AacTrack);

        Assert.Equal("BUNDLE video1", sdp.GetAttribute("group"));
        AnsweredTransport transport = Assert.Single(answer.Transports);
        Assert.Equal(["video1"], transport.Mids);
        Assert.Equal("sharedufrag", transport.Remote.IceUfrag);
        Assert.NotEmpty(sdp.Media[1].GetAttributes("candidate"));
    }

    [Fact]
    public void Rejected_m_section_names_a_transport_a_role_and_a_direction_so_strict_parsers_accept_it()
    {
        (WebRtcAnswer answer, SessionDescription sdp) = Answer(
            Offer("BUNDLE video0 audio1", Video("video0", "sharedufrag"), Audio("audio1", "sharedufrag", bundleOnly: true)),
            H264Track, AacTrack);

        NegotiatedTrack video = Assert.Single(answer.Tracks);
        Assert.Equal("video0", video.Mid);
        Assert.Equal("BUNDLE video0", sdp.GetAttribute("group"));
        MediaDescription rejected = sdp.Media[1];
        Assert.Equal(0, rejected.Port);
        Assert.Equal("audio1", rejected.GetAttribute("mid"));
        Assert.True(rejected.HasAttribute("inactive"));
        Assert.Equal("passive", rejected.GetAttribute("setup"));
        Assert.Equal(Local.Fingerprint, rejected.GetAttribute("fingerprint"));
        Assert.False(string.IsNullOrEmpty(rejected.GetAttribute("ice-ufrag")));
        Assert.False(string.IsNullOrEmpty(rejected.GetAttribute("ice-pwd")));
        Assert.Empty(rejected.GetAttributes("candidate"));
    }

    [Fact]
    public void Port_zero_is_still_a_rejection_outside_a_bundle_group()
    {
        (WebRtcAnswer answer, SessionDescription sdp) = Answer(
            Offer(null, Video("video0", "videoufrag"), Audio("audio1", "audioufrag", bundleOnly: true)), H264Track, OpusTrack);

        Assert.Equal(["video0"], answer.Tracks.Select(t => t.Mid));
        Assert.Equal(0, sdp.Media[1].Port);
        Assert.Single(answer.Transports);
    }
}
