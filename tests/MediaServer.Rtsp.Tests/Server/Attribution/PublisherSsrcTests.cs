using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;

namespace MediaServer.Rtsp.Tests.Server.Attribution;

/// <summary>
/// A publisher's track is locked on the SSRC of its first RTP packet: packets with another SSRC
/// from the same bound address (a second sender behind the camera's address, or a spoofer) never
/// reach the stream, its cache or its readers, and are counted as <c>ssrc_mismatch</c> drops.
/// </summary>
public class PublisherSsrcTests
{
    [Fact]
    public async Task Packets_with_a_foreign_ssrc_from_the_cameras_address_never_reach_a_reader()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        await camera.PublishAsync(host, "cam1", string.Empty);
        MediaStream cam1 = UdpSourceClaimTests.Stream(host, "cam1");
        await using RawRtspClient reader = await UdpSourceClaimTests.ReadTcpAsync(host, "cam1", string.Empty);
        var drops = MetricsRegistry.DroppedPackets.WithLabels("ssrc_mismatch");
        var conflicts = MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.PublisherSsrc);
        double dropsBefore = drops.Value;
        double conflictsBefore = conflicts.Value;

        await UdpSourceClaimTests.SendKeyframeAsync(camera, host, 0xAAAA0001, seq: 1, tag: 1);
        await UdpSourceClaimTests.SendKeyframeAsync(camera, host, 0xBBBB0002, seq: 4, tag: 0x42);
        await UdpSourceClaimTests.SendKeyframeAsync(camera, host, 0xAAAA0001, seq: 7, tag: 2);

        Assert.True(await Poll.UntilAsync(() => cam1.PacketsIn == 6 && cam1.PacketsRejected == 3),
            $"in {cam1.PacketsIn}, rejected {cam1.PacketsRejected}");
        Assert.Equal(0xAAAA0001u, cam1.Tracks[0].PublisherSsrc);
        Assert.True(drops.Value >= dropsBefore + 3);
        Assert.True(conflicts.Value >= conflictsBefore + 3);

        var tags = new List<byte>();
        while (tags.Count < 6)
        {
            (byte channel, byte[] payload) = await reader.ReadFrameAsync();
            if (channel == 0)
            {
                tags.Add(payload[^1]);
            }
        }

        Assert.Equal([1, 1, 1, 2, 2, 2], tags);
    }
}
