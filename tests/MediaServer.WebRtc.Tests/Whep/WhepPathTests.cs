using MediaServer.WebRtc;
using MediaServer.WebRtc.Whep;

namespace MediaServer.WebRtc.Tests.Whep;

public class WhepPathTests
{
    [Theory]
    [InlineData("cam1/whep", "cam1", null)]
    [InlineData("home/cam1/whep", "home/cam1", null)]
    [InlineData("cam1/whep/0123abcd", "cam1", "0123abcd")]
    [InlineData("home/cam1/whep/0123abcd", "home/cam1", "0123abcd")]
    public void Splits_stream_path_and_resource(string url, string path, string? resource)
    {
        Assert.True(WebRtcResourcePath.Whep.TrySplit(url, out string streamPath, out string? resourceId));
        Assert.Equal(path, streamPath);
        Assert.Equal(resource, resourceId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whep")]
    [InlineData("cam1")]
    [InlineData("cam1/whep/a/b")]
    public void Rejects_what_is_not_a_whep_url(string url) => Assert.False(WebRtcResourcePath.Whep.TrySplit(url, out _, out _));
}
