using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests.Sdp;

/// <summary>Regressions found by the property tests (tests/MediaServer.Fuzzing.Tests): SDP that parsed but could not be written back.</summary>
public class SdpHostileInputTests
{
    private const string Head = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n";

    [Theory]
    [InlineData("m=vi\rdeo 0 RTP/AVP 96\r\n")] // written back as "m=vi deo 0 ...", which no longer parses
    [InlineData("m=video 0 RTP/AVP 96\r\na=control:track\r1\r\n")]
    [InlineData("m=video 0 RTP/AVP 96\r\na=control:track\u00001\r\n")]
    public void A_cr_or_nul_inside_a_line_is_a_malformed_line(string media)
    {
        Assert.False(SessionDescription.TryParse(Head + media, out _, out string? error));
        Assert.Contains("malformed line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_ends_of_any_kind_still_parse_and_what_parses_writes_back_the_same()
    {
        string sdp = "v=0\no=- 0 0 IN IP4 127.0.0.1\r\r\ns=cam\r\nt=0 0 \r\nm=video 0 RTP/AVP 96\na=control:trackID=0\r\n";
        Assert.True(SessionDescription.TryParse(sdp, out SessionDescription? description, out string? error), error);
        string written = description!.ToString();
        Assert.True(SessionDescription.TryParse(written, out SessionDescription? again, out error), error);
        Assert.Equal(written, again!.ToString());
    }
}
