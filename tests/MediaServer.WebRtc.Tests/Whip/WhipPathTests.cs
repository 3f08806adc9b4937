using MediaServer.WebRtc;
using MediaServer.WebRtc.Whip;

namespace MediaServer.WebRtc.Tests.Whip;

public class WhipPathTests
{
    [Theory]
    [InlineData("cam1/whip", "cam1", null)]
    [InlineData("home/cam1/whip", "home/cam1", null)]
    [InlineData("cam1/whip/0123abcd", "cam1", "0123abcd")]
    [InlineData("home/cam1/whip/0123abcd", "home/cam1", "0123abcd")]
    public void Splits_stream_path_and_resource(string url, string path, string? resource)
    {
        Assert.True(WebRtcResourcePath.Whip.TrySplit(url, out string streamPath, out string? resourceId));
        Assert.Equal(path, streamPath);
        Assert.Equal(resource, resourceId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whip")]
    [InlineData("cam1")]
    [InlineData("cam1/whep")]
    [InlineData("cam1/whip/a/b")]
    public void Rejects_what_is_not_a_whip_url(string url) => Assert.False(WebRtcResourcePath.Whip.TrySplit(url, out _, out _));
}
