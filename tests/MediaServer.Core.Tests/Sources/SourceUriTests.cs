using MediaServer.Core.Sources;

namespace MediaServer.Core.Tests.Sources;

public class SourceUriTests
{
    [Theory]
    [InlineData("rtsp://cam/live", "rtsp://cam:554/live")]
    [InlineData("rtsp://cam:554/live", "rtsp://cam:554/live")]
    [InlineData("RTSP://CAM/live", "rtsp://cam:554/live")]
    [InlineData("rtsps://cam/live", "rtsps://cam:322/live")]
    [InlineData("rtsp://user:p%40ss@cam:8554/live?channel=1&subtype=0", "rtsp://user:p%40ss@cam:8554/live?channel=1&subtype=0")]
    [InlineData("rtsp://cam", "rtsp://cam:554/")]
    public void Key_is_every_part_of_the_url_with_the_default_port_filled_in(string url, string key)
    {
        Assert.True(SourceUri.TryParse(url, out SourceUri? uri, out string? error), error);
        Assert.Equal(key, uri.Key);
    }

    [Theory]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://u:p@cam:8554/live?c=2")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://v:p@cam:8554/live?c=1")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://u:q@cam:8554/live?c=1")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://u:p@cam:8555/live?c=1")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://u:p@cam2:8554/live?c=1")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsp://u:p@cam:8554/Live?c=1")]
    [InlineData("rtsp://u:p@cam:8554/live?c=1", "rtsps://u:p@cam:8554/live?c=1")]
    public void Urls_that_differ_in_any_part_are_different_sources(string one, string other)
    {
        Assert.True(SourceUri.TryParse(one, out SourceUri? a, out _));
        Assert.True(SourceUri.TryParse(other, out SourceUri? b, out _));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.Key, b.Key);
    }

    [Fact]
    public void Credentials_are_unescaped_kept_out_of_the_request_url_and_redacted_for_people()
    {
        Assert.True(SourceUri.TryParse("rtsp://ad%3Amin:s3cr%40t@192.168.1.20:8554/Streaming/Channels/101?transportmode=unicast", out SourceUri? uri, out _));
        Assert.Equal("ad:min", uri.User);
        Assert.Equal("s3cr@t", uri.Password);
        Assert.Equal("rtsp://192.168.1.20:8554/Streaming/Channels/101?transportmode=unicast", uri.RequestUri);
        Assert.DoesNotContain("s3cr", uri.Redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", uri.ToString(), StringComparison.Ordinal);
        Assert.Contains("ad%3Amin:***@", uri.Redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://cam/live")]
    [InlineData("cam/live")]
    [InlineData("rtsp:///live")]
    [InlineData("rtsp://cam/live#frag")]
    [InlineData("publisher")]
    public void Anything_but_an_rtsp_or_rtsps_url_is_refused_with_a_reason(string text)
    {
        Assert.False(SourceUri.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
