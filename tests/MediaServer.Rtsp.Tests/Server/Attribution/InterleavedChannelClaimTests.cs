using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;

namespace MediaServer.Rtsp.Tests.Server.Attribution;

/// <summary>
/// An interleaved channel of a connection carries one track: a second SETUP naming a channel in
/// use, even by another track of the same session, would route one track's packets into another.
/// </summary>
public class InterleavedChannelClaimTests
{
    [Fact]
    public async Task A_second_track_cannot_take_the_channels_of_the_first()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", host.Url("cam1"), body: TestMedia.VideoAndAudioSdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record")).Status);
        var conflicts = MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.RtspInterleavedChannel);
        double before = conflicts.Value;

        Assert.Equal(461, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=1",
            "Transport: RTP/AVP/TCP;unicast;interleaved=1-2;mode=record")).Status);
        Assert.True(conflicts.Value > before);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=1",
            "Transport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record")).Status);
    }
}
