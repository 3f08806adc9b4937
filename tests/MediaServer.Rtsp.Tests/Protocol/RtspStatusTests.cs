using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspStatusTests
{
    private static readonly string[] ClassPhrases = ["Success", "Redirection", "Client Error", "Server Error"];

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(302, "Moved Temporarily")]
    [InlineData(408, "Request Time-out")]
    [InlineData(413, "Request Entity Too Large")]
    [InlineData(414, "Request-URI Too Large")]
    [InlineData(451, "Parameter Not Understood")]
    [InlineData(453, "Not Enough Bandwidth")]
    [InlineData(454, "Session Not Found")]
    [InlineData(455, "Method Not Valid in This State")]
    [InlineData(457, "Invalid Range")]
    [InlineData(459, "Aggregate Operation Not Allowed")]
    [InlineData(461, "Unsupported Transport")]
    [InlineData(505, "RTSP Version Not Supported")]
    public void Reason_phrases_are_worded_as_RFC_2326_words_them(int code, string phrase)
    {
        Assert.Equal(phrase, RtspStatusCodes.ReasonPhrase(code));
    }

    [Fact]
    public void Every_named_code_has_its_own_phrase()
    {
        foreach (RtspStatusCode code in Enum.GetValues<RtspStatusCode>())
        {
            string phrase = RtspStatusCodes.ReasonPhrase(code);
            Assert.DoesNotContain(phrase, ClassPhrases);
        }
    }

    [Theory]
    [InlineData(299, "Success")]
    [InlineData(399, "Redirection")]
    [InlineData(499, "Client Error")]
    [InlineData(599, "Server Error")]
    public void Unnamed_codes_get_a_class_phrase_instead_of_failing(int code, string phrase)
    {
        Assert.Equal(phrase, RtspStatusCodes.ReasonPhrase(code));
    }

    [Theory]
    [InlineData(RtspRejectionReason.InvalidRequestLine, 400)]
    [InlineData(RtspRejectionReason.UnsupportedVersion, 505)]
    [InlineData(RtspRejectionReason.InvalidHeader, 400)]
    [InlineData(RtspRejectionReason.HeadersTooLarge, 400)]
    [InlineData(RtspRejectionReason.TooManyHeaders, 400)]
    [InlineData(RtspRejectionReason.BodyTooLarge, 413)]
    [InlineData(RtspRejectionReason.InvalidContentLength, 400)]
    [InlineData(RtspRejectionReason.MissingCSeq, 400)]
    [InlineData(RtspRejectionReason.RequestLineTooLong, 414)]
    public void Rejections_map_to_RTSP_status_codes(RtspRejectionReason reason, int status)
    {
        Assert.Equal(status, RtspRejection.StatusCode(reason));
        Assert.NotEqual("unknown rejection", RtspRejection.Describe(reason));
    }

    [Fact]
    public void None_is_not_a_rejection()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RtspRejection.StatusCode(RtspRejectionReason.None));
    }
}
