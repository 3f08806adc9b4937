using MediaServer.Core.Access;
using MediaServer.Core.Sources;

namespace MediaServer.Core.Tests.Sources;

public class SourceSettingsTests
{
    [Fact]
    public void Publisher_is_the_default_and_has_no_source()
    {
        var rule = new PathRule(new PathOptions { Name = "cam" });
        Assert.Null(rule.Source);
        Assert.Null(rule.ResolveSource(TestRtp.Id("cam")));
    }

    [Fact]
    public void Regex_path_fills_its_groups_into_the_source_url()
    {
        var rule = new PathRule(new PathOptions { Name = "~^site(\\d+)/cam(\\d+)$", Source = "rtsp://nvr$G1.test/ch$G2", SourceOnDemand = true });
        Assert.Equal("rtsp://nvr3.test/ch12", rule.ResolveSource(TestRtp.Id("site3/cam12")));
    }

    [Theory]
    [InlineData("cam", "ftp://cam/live", false, "automatic", "rtsp:// or rtsps://")]
    [InlineData("cam", "rtsp://nvr/ch$G1", false, "automatic", "$G groups")]
    [InlineData("~^cam(\\d+)$", "rtsp://nvr/ch$G1", false, "automatic", "SourceOnDemand: true")]
    [InlineData("cam", "rtsp://nvr/ch1", false, "quic", "SourceTransport")]
    public void Invalid_source_settings_are_refused_naming_the_path_and_the_key(string name, string source, bool onDemand, string transport, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new PathRule(new PathOptions
        {
            Name = name, Source = source, SourceOnDemand = onDemand, SourceTransport = transport,
        }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_timeout_must_be_positive()
    {
        var e = Assert.Throws<ArgumentException>(() => new PathRule(new PathOptions
        {
            Name = "cam", Source = "rtsp://cam/live", SourceOnDemand = true, SourceOnDemandStartTimeoutSeconds = 0,
        }));
        Assert.Contains("SourceOnDemandStartTimeoutSeconds", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp", SourceTransport.Tcp)]
    [InlineData("UDP", SourceTransport.Udp)]
    [InlineData("automatic", SourceTransport.Automatic)]
    public void Transport_is_read_case_insensitively(string text, SourceTransport expected)
    {
        var rule = new PathRule(new PathOptions { Name = "cam", Source = "rtsp://cam/live", SourceTransport = text });
        Assert.Equal(expected, rule.Source!.Transport);
    }
}
