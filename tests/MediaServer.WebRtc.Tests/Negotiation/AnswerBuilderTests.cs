using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Tests.Negotiation;

public class AnswerBuilderTests
{
    private static readonly LocalTransportDescription Local = new(
        "serverufragserver", "serverpasswordserverpassword00", "sha-256 AA:BB", [new IceCandidate("127.0.0.1", 8189)]);

    /// <summary>A recvonly video + audio offer captured from Debian's Chromium 156.</summary>
    private static WebRtcOffer ChromiumOffer()
    {
        string sdp = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Negotiation", "chromium-offer.sdp"));
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out string? error), error);
        return offer!;
    }

    private static List<MediaTrack> Tracks(params string[] sections)
    {
        string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" + string.Concat(sections);
        Assert.True(SessionDescription.TryParse(sdp, out SessionDescription? description, out string? error), error);
        return description!.Media.Select((m, i) => new MediaTrack(i, m)).ToList();
    }

    private const string H264High =
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=64001f\r\n";

    private const string H264ConstrainedBaseline =
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n";

    private const string Aac =
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 mpeg4-generic/48000/2\r\na=fmtp:97 streamtype=5;mode=AAC-hbr;sizelength=13\r\n";

    private const string Opus = "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";

    private const string Pcma = "m=audio 0 RTP/AVP 8\r\n";

    [Fact]
    public void Offer_from_chromium_yields_its_credentials_and_fingerprint()
    {
        WebRtcOffer offer = ChromiumOffer();
        Assert.Equal("6lQI", offer.IceUfrag);
        Assert.Equal("0ELvEfvd0BqeEC2Qvpf6Y63Z", offer.IcePwd);
        Assert.StartsWith("sha-256 5B:6A:23", offer.Fingerprint.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void High_profile_h264_goes_out_on_the_best_offered_packetization_mode_1_entry_and_aac_is_left_out()
    {
        Assert.Equal(OfferRejection.None, AnswerBuilder.TryBuild(ChromiumOffer(), Tracks(H264High, Aac), Local, out WebRtcAnswer? answer));

        NegotiatedTrack video = Assert.Single(answer!.Tracks);
        Assert.Equal(0, video.StreamTrackIndex);
        Assert.Equal("0", video.Mid);
        Assert.Equal(116, video.PayloadType); // Main (4d001f): the highest profile Chromium lists with mode 1
        Assert.True(video.Nack && video.Pli && video.Fir);
        Assert.Contains(answer.LeftOut, l => l.Contains("mpeg4-generic", StringComparison.Ordinal) && l.Contains("cannot play", StringComparison.Ordinal));

        Assert.True(SessionDescription.TryParse(answer.Sdp, out SessionDescription? sdp, out string? error), error);
        Assert.Equal("BUNDLE 0", sdp!.GetAttribute("group"));
        Assert.NotNull(sdp.Attributes.Find(a => a.Name == "ice-lite").Name);
        MediaDescription m0 = sdp.Media[0];
        Assert.Equal(["116"], m0.Formats);
        Assert.Equal("passive", m0.GetAttribute("setup"));
        Assert.True(m0.HasAttribute("sendonly"));
        Assert.True(m0.HasAttribute("rtcp-mux"));
        Assert.Equal("serverufragserver", m0.GetAttribute("ice-ufrag"));
        Assert.Equal("sha-256 AA:BB", m0.GetAttribute("fingerprint"));
        Assert.Contains(m0.GetAttributes("ssrc"), s => s.StartsWith(video.Ssrc + " cname:", StringComparison.Ordinal));
        Assert.Contains(m0.GetAttributes("candidate"), c => c.Contains("127.0.0.1 8189 typ host", StringComparison.Ordinal));
        Assert.Contains(m0.GetAttributes("rtcp-fb"), f => f == "116 nack pli");

        MediaDescription m1 = sdp.Media[1];
        Assert.Equal(0, m1.Port);
        Assert.Equal("1", m1.GetAttribute("mid"));
    }

    [Fact]
    public void Constrained_baseline_h264_matches_the_same_profile_entry()
    {
        Assert.Equal(OfferRejection.None, AnswerBuilder.TryBuild(ChromiumOffer(), Tracks(H264ConstrainedBaseline), Local, out WebRtcAnswer? answer));
        Assert.Equal(108, Assert.Single(answer!.Tracks).PayloadType);
    }

    [Theory]
    [InlineData(Opus, 111)]
    [InlineData(Pcma, 8)]
    public void Audio_passes_through_on_the_offers_payload_type(string section, int payloadType)
    {
        Assert.Equal(OfferRejection.None, AnswerBuilder.TryBuild(ChromiumOffer(), Tracks(H264ConstrainedBaseline, section), Local, out WebRtcAnswer? answer));
        Assert.Equal(2, answer!.Tracks.Count);
        NegotiatedTrack audio = answer.Tracks[1];
        Assert.Equal("1", audio.Mid);
        Assert.Equal(payloadType, audio.PayloadType);
        Assert.False(audio.Nack);
        Assert.Empty(answer.LeftOut);
        Assert.Contains("a=group:BUNDLE 0 1", answer.Sdp, StringComparison.Ordinal);
    }

    [Fact]
    public void H265_is_answered_when_the_browser_offers_it()
    {
        string sdp = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Negotiation", "chromium-offer.sdp"))
            .Replace("a=rtpmap:45 AV1/90000", "a=rtpmap:45 H265/90000", StringComparison.Ordinal);
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out _));
        const string H265 = "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n";

        Assert.Equal(OfferRejection.None, AnswerBuilder.TryBuild(offer!, Tracks(H265), Local, out WebRtcAnswer? answer));
        Assert.Equal(45, Assert.Single(answer!.Tracks).PayloadType);

        Assert.Equal(OfferRejection.NothingPlayable, AnswerBuilder.TryBuild(ChromiumOffer(), Tracks(H265), Local, out _));
    }

    [Fact]
    public void Offer_that_accepts_no_track_is_refused()
    {
        Assert.Equal(OfferRejection.NothingPlayable, AnswerBuilder.TryBuild(ChromiumOffer(), Tracks(Aac), Local, out WebRtcAnswer? answer));
        Assert.Null(answer);
    }

    [Fact]
    public void H264_offered_only_in_packetization_mode_0_is_not_playable()
    {
        string sdp = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Negotiation", "chromium-offer.sdp"))
            .Replace("packetization-mode=1", "packetization-mode=0", StringComparison.Ordinal);
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out _));
        Assert.Equal(OfferRejection.NothingPlayable, AnswerBuilder.TryBuild(offer!, Tracks(H264High), Local, out _));
    }

    [Theory]
    [InlineData("a=fingerprint:sha-256 5B", "a=x-removed:1", "fingerprint")]
    [InlineData("a=ice-pwd:0ELvEfvd0BqeEC2Qvpf6Y63Z", "a=ice-pwd:short", "length")]
    [InlineData("UDP/TLS/RTP/SAVPF", "RTP/AVP", "DTLS-SRTP")]
    [InlineData("a=mid:0", "a=x-mid:0", "mid")]
    public void Offers_missing_what_webrtc_requires_are_malformed(string find, string replace, string reason)
    {
        string sdp = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Negotiation", "chromium-offer.sdp"))
            .Replace(find, replace, StringComparison.Ordinal);
        Assert.False(WebRtcOffer.TryParse(sdp, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("v=0\r\n")]
    public void Garbage_is_not_an_offer(string sdp) => Assert.False(WebRtcOffer.TryParse(sdp, out _, out _));
}
