namespace MediaServer.WebRtc.Tests;

public class WebRtcOptionsTests
{
    [Fact]
    public void Defaults_match_the_documented_configuration()
    {
        var options = new WebRtcOptions();
        Assert.Equal(8189, options.UdpPort);
        Assert.Equal(1200, options.MaxPacketSize);
        Assert.True(options.Enabled);
    }
}
