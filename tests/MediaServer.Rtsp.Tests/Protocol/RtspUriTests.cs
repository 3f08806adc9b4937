using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspUriTests
{
    [Theory]
    [InlineData("rtsp://host:8554/a/b?x", "a/b")]
    [InlineData("rtsp://127.0.0.1:8554/cam1", "cam1")]
    [InlineData("rtsp://127.0.0.1:8554/cam1/trackID=0", "cam1/trackID=0")]
    [InlineData("rtsp://127.0.0.1:8554/cam1/", "cam1/")]
    [InlineData("RTSP://Host/cam1", "cam1")]
    [InlineData("rtsps://host:322/secure/cam", "secure/cam")]
    [InlineData("rtsp://user:pa%40ss@host:8554/cam1", "cam1")]
    [InlineData("rtsp://[::1]:8554/cam1", "cam1")]
    [InlineData("rtsp://[2001:db8::1]/cam1", "cam1")]
    [InlineData("rtsp://host/cam%201", "cam 1")]
    [InlineData("rtsp://host/caf%C3%A9", "café")]
    [InlineData("rtsp://host/café", "café")]
    [InlineData("rtsp://host/a%2Fb", "a/b")]
    [InlineData("rtsp://host/a#frag", "a")]
    [InlineData("rtsp://host:", "")]
    [InlineData("rtsp://host", "")]
    [InlineData("rtsp://host?x=1", "")]
    [InlineData("rtsp://host/", "")]
    [InlineData("/a/b", "a/b")]
    [InlineData("/a/b?token=1", "a/b")]
    [InlineData("*", "*")]
    public void Valid_URIs_give_the_decoded_path(string uri, string expected)
    {
        Assert.True(RtspUri.TryParse(uri, out string path));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://host/cam1")]
    [InlineData("rtspu://host/cam1")]
    [InlineData("file:///etc/passwd")]
    [InlineData("cam1")]
    [InlineData("rtsp:/host/cam1")]
    [InlineData("rtsp:///cam1")]
    [InlineData("rtsp://:8554/cam1")]
    [InlineData("rtsp://host:port/cam1")]
    [InlineData("rtsp://host:65536/cam1")]
    [InlineData("rtsp://host:123456/cam1")]
    [InlineData("rtsp://ho st/cam1")]
    [InlineData("rtsp://ho<st/cam1")]
    [InlineData("rtsp://[::1/cam1")]
    [InlineData("rtsp://[]/cam1")]
    [InlineData("rtsp://[::1]x/cam1")]
    [InlineData("rtsp://[fe80::1%25eth0]/cam1")]
    [InlineData("rtsp://host/cam%2")]
    [InlineData("rtsp://host/cam%zz")]
    [InlineData("rtsp://host/cam%00")]
    [InlineData("rtsp://host/cam%0A")]
    [InlineData("rtsp://host/cam%FF")]
    [InlineData("rtsp://host/cam 1")]
    [InlineData("rtsp://host/cam\t1")]
    [InlineData("**")]
    public void Malformed_or_foreign_URIs_are_refused(string uri)
    {
        Assert.False(RtspUri.TryParse(uri, out string path));
        Assert.Equal(string.Empty, path);
    }
}
