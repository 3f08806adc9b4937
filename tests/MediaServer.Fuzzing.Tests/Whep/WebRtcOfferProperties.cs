using System.Text;
using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.Fuzzing.Tests.Whep;

/// <summary>
/// A WHEP POST body: any text is an offer or an error with a reason; an accepted offer meets what
/// the parser promises (RFC 8839 credential lengths, a mid per m-section, a fingerprint) and its
/// answer is SDP with one m-section per offered one; credentials come back exactly as offered.
/// </summary>
public class WebRtcOfferProperties
{
    private static readonly byte[] Offer = Encoding.UTF8.GetBytes(WhepTarget.BrowserOffer());

    private static readonly string[] Grammar =
    [
        "v=0\r\n", "o=- 1 2 IN IP4 127.0.0.1\r\n", "s=-\r\n", "t=0 0\r\n", "m=video 9 UDP/TLS/RTP/SAVPF 96 102\r\n", "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n",
        "m=video 0 RTP/AVP 96\r\n", "a=mid:0\r\n", "a=mid:1\r\n", "a=ice-ufrag:", "a=ice-pwd:", "abcd", "0123456789012345678901", "  ", "\r\n",
        "a=fingerprint:sha-256 5B:6A:23:74:52:E5:57:F2:2D:83:87:E9:63:64:C7:A7:40:E1:32:0E:1C:8C:4F:7C:BF:7E:5F:12:A9:BD:20:07\r\n",
        "a=rtpmap:96 H264/90000\r\n", "a=rtpmap:102 VP8/90000\r\n", "a=rtpmap:111 opus/48000/2\r\n", "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n",
        "a=rtcp-fb:96 nack\r\n", "a=rtcp-fb:* nack pli\r\n", "a=sendonly\r\n", "a=recvonly\r\n", "a=inactive\r\n", "a=rtcp-rsize\r\n",
    ];

    [Fact]
    public void Offer_shaped_text_is_an_offer_that_keeps_its_promises_or_a_reason() =>
        TokenSoup.Of(40, Grammar).Sample(WhepTarget.CheckOffer, iter: Budget.Text);

    [Fact]
    public void Damaged_browser_offers_are_offers_that_keep_their_promises_or_a_reason() =>
        Mutations.Bytes([Offer]).Sample(bytes => WhepTarget.CheckOffer(Encoding.UTF8.GetString(bytes)), iter: Budget.Text);

    private static readonly string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    [Fact]
    public void Valid_ice_credentials_come_back_exactly_as_offered() =>
        Gen.Select(Gen.String[Gen.Char[IceChars], 4, 256], Gen.String[Gen.Char[IceChars], 22, 256]).Sample((ufrag, pwd) =>
        {
            Assert.True(WebRtcOffer.TryParse(WhepTarget.BrowserOffer(ufrag, pwd), out WebRtcOffer? offer, out string? error), error);
            Assert.Equal(ufrag, offer!.IceUfrag);
            Assert.Equal(pwd, offer.IcePwd);
        }, iter: Budget.Text);

    [Fact]
    public void Ice_credentials_outside_rfc_8839_lengths_are_refused_however_they_are_padded() =>
        Gen.Select(Gen.String[Gen.Char[IceChars], 0, 3], Gen.String[Gen.Char[" \t"], 0, 4], Gen.String[Gen.Char[" \t"], 0, 4]).Sample((ufrag, before, after) =>
        {
            string sdp = WhepTarget.BrowserOffer(before + ufrag + after, "0ELvEfvd0BqeEC2Qvpf6Y63Z");
            Assert.False(WebRtcOffer.TryParse(sdp, out _, out string? error));
            Assert.NotNull(error);
        }, iter: Budget.Text);
}
