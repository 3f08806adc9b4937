using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Isolation;

/// <summary>The isolation guard, packet pool and path labels a host owns, which two hosts in one process do not share.</summary>
public class HostOwnedStateTests
{
    [Fact]
    public void Each_guard_counts_only_what_it_refused()
    {
        var first = new IsolationGuard();
        var second = new IsolationGuard();
        MediaPacket packet = new MediaPacketPool(4, first).Rent(TestRtp.Id("cam1"), 1);

        Assert.True(first.Admit(packet, TestRtp.Id("cam1"), 1));
        Assert.False(second.Admit(packet, TestRtp.Id("cam2"), 1));
        Assert.False(second.Admit(packet, TestRtp.Id("cam1"), 2));

        Assert.Equal(0, first.Violations);
        Assert.Equal(2, second.Violations);
        packet.Release();
    }

    [Fact]
    public void A_registrys_streams_rent_from_its_pool_and_check_with_its_guard()
    {
        var guard = new IsolationGuard();
        var pool = new MediaPacketPool(64, guard);
        var registry = new StreamRegistry(new StreamOptions(), pool);

        Assert.Equal(PublishOutcome.Published,
            registry.TryPublish(TestRtp.Grant(TestRtp.Id("cam1"), StreamAction.Publish), TestRtp.Sdp(TestRtp.AudioOnlySdp), out MediaStream? stream));
        Assert.Same(pool, registry.Pool);
        Assert.Same(guard, stream!.Guard);

        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, TestRtp.Packet(1, 1, 0xD5, tag: 1, payloadType: 0)));
        Assert.True(pool.Allocated > 0);
    }

    [Fact]
    public void Registries_cap_their_path_labels_separately()
    {
        var capped = new StreamRegistry(new StreamOptions(), new MediaPacketPool(64), pathLabels: new PathLabels(1));
        var open = new StreamRegistry(new StreamOptions(), new MediaPacketPool(64), pathLabels: new PathLabels(8));

        MediaStream Publish(StreamRegistry registry, string path)
        {
            Assert.Equal(PublishOutcome.Published,
                registry.TryPublish(TestRtp.Grant(TestRtp.Id(path), StreamAction.Publish), TestRtp.Sdp(), out MediaStream? stream));
            return stream!;
        }

        Assert.Equal("cam1", Publish(capped, "cam1").MetricsPath);
        Assert.Equal(PathLabels.Other, Publish(capped, "cam2").MetricsPath);
        Assert.Equal("cam2", Publish(open, "cam2").MetricsPath);
    }
}
