using MediaServer.Core.Access;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>The worked examples of RFC 7616 §3.9.1 (MD5 and SHA-256, qop=auth).</summary>
public class DigestFieldsTests
{
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_examples(string algorithm, string expected)
    {
        Assert.True(DigestFields.TryParseAlgorithm(algorithm, out DigestAlgorithm parsed, out bool session));
        Assert.False(session);
        string ha1 = DigestHash.Ha1(parsed, "Mufasa", "http-auth@example.org", "Circle of Life");
        string? response = DigestFields.ExpectedResponse(parsed, session, ha1, "GET", "/dir/index.html", Nonce, "auth", "00000001", Cnonce);
        Assert.Equal(expected, response);
    }

    [Fact]
    public void Unknown_algorithms_and_qops_have_no_expected_response()
    {
        Assert.False(DigestFields.TryParseAlgorithm("SHA-512-256", out _, out _));
        Assert.False(DigestFields.TryParseAlgorithm("SHA-256-sess-sess", out _, out _));
        Assert.True(DigestFields.TryParseAlgorithm("md5-SESS", out DigestAlgorithm md5, out bool session));
        Assert.Equal(DigestAlgorithm.Md5, md5);
        Assert.True(session);
        Assert.Null(DigestFields.ExpectedResponse(DigestAlgorithm.Md5, false, "00", "GET", "/", "n", "auth-int", "1", "c"));
    }

    [Fact]
    public void Parameters_parse_quoted_and_bare_values_and_skip_garbage()
    {
        Dictionary<string, string> fields = DigestFields.Parse(
            "username=\"Mufasa\", realm=\"a, b\", nc=00000001, qop=auth,,garbage, response=\"abc\"");
        Assert.Equal("Mufasa", fields["username"]);
        Assert.Equal("a, b", fields["realm"]);
        Assert.Equal("00000001", fields["nc"]);
        Assert.Equal("auth", fields["qop"]);
        Assert.Equal("abc", fields["response"]);
        Assert.Empty(DigestFields.Parse("username=\"unterminated"));
    }

    [Theory]
    [InlineData("rtsp://127.0.0.1:8554/home1/door", "rtsp://127.0.0.1:8554/home1/door", true)]
    [InlineData("/home1/door", "rtsp://127.0.0.1:8554/home1/door", true)]
    [InlineData("rtsp://127.0.0.1:8554/home1/door", "/home1/door", true)]
    [InlineData("rtsp://127.0.0.1:8554/home1/d%6For", "rtsp://127.0.0.1:8554/home1/door", true)]
    [InlineData("*", "*", true)]
    [InlineData("rtsp://127.0.0.1:8554/home1/other", "rtsp://127.0.0.1:8554/home1/door", false)]
    [InlineData("rtsp://127.0.0.1:8554/home1/door", "rtsp://127.0.0.1:8554/home1/door/streamid=0", false)]
    [InlineData("*", "rtsp://127.0.0.1:8554/home1/door", false)]
    [InlineData("rtsp://127.0.0.1:8554/", "rtsp://127.0.0.1:8554/home1/door", false)]
    [InlineData("http://127.0.0.1:8554/home1/door", "rtsp://127.0.0.1:8554/home1/door", false)]
    [InlineData("", "rtsp://127.0.0.1:8554/home1/door", false)]
    public void The_digest_uri_must_name_the_request_uri(string digestUri, string requestUri, bool names)
    {
        Assert.Equal(names, DigestFields.NamesRequestUri(digestUri, requestUri));
    }
}
