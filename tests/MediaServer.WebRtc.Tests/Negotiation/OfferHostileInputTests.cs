using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Tests.Negotiation;

/// <summary>Regressions found by the property tests (tests/MediaServer.Fuzzing.Tests): offers that used to be accepted.</summary>
public class OfferHostileInputTests
{
    private static string ChromiumOffer() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Negotiation", "chromium-offer.sdp"));

    [Theory]
    [InlineData("a=ice-ufrag:\t  R")] // 1 character, padded to 4 by whitespace
    [InlineData("a=ice-ufrag:   abc")]
    public void A_too_short_ufrag_is_refused_even_when_whitespace_pads_it_to_length(string ufragLine)
    {
        string sdp = ChromiumOffer().Replace("a=ice-ufrag:6lQI", ufragLine, StringComparison.Ordinal);
        Assert.False(WebRtcOffer.TryParse(sdp, out _, out string? error));
        Assert.Contains("length", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_keep_their_value_without_the_whitespace_around_them()
    {
        string sdp = ChromiumOffer().Replace("a=ice-ufrag:6lQI", "a=ice-ufrag:  6lQI", StringComparison.Ordinal);
        Assert.True(WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out string? error), error);
        Assert.Equal("6lQI", offer!.IceUfrag);
    }

    [Theory]
    [InlineData("a=mid:1", "a=mid:0")] // two m-sections named 0: the answer's BUNDLE would list 0 twice
    [InlineData("a=mid:1", "a=mid:")]
    [InlineData("a=mid:1", "a=mid:1 0")]
    public void An_empty_spaced_or_repeated_mid_is_refused(string find, string replace)
    {
        string sdp = ChromiumOffer().Replace(find, replace, StringComparison.Ordinal);
        Assert.False(WebRtcOffer.TryParse(sdp, out _, out string? error));
        Assert.Contains("mid", error, StringComparison.Ordinal);
    }
}
