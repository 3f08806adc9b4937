using System.Diagnostics;
using MediaServer.Core.Metrics;
using Prometheus;

namespace MediaServer.Core.Tests.Metrics;

public class EgressLatencyProbeTests
{
    private static Histogram.Child NewHistogram() =>
        Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())
            .CreateHistogram("probe_test_seconds", "test", new HistogramConfiguration { LabelNames = ["x"] })
            .WithLabels("x");

    [Fact]
    public void One_live_packet_in_eight_is_observed()
    {
        Histogram.Child histogram = NewHistogram();
        var probe = new EgressLatencyProbe(histogram);
        for (int i = 0; i < 8 * 10; i++)
        {
            probe.OnSent(Stopwatch.GetTimestamp(), queueDrops: 0);
        }

        Assert.Equal(10, histogram.Count);
        Assert.InRange(histogram.Sum / histogram.Count, 0, 0.1);
    }

    [Fact]
    public void Cached_packets_replayed_at_start_and_after_a_queue_drop_are_not_observed()
    {
        Histogram.Child histogram = NewHistogram();
        var probe = new EgressLatencyProbe(histogram);
        long old = Stopwatch.GetTimestamp() - Stopwatch.Frequency; // a second old: from the GOP cache
        for (int i = 0; i < 20; i++)
        {
            probe.OnSent(old, queueDrops: 0);
        }

        Assert.Equal(0, histogram.Count);
        probe.OnSent(Stopwatch.GetTimestamp(), queueDrops: 0); // first live packet
        Assert.Equal(1, histogram.Count);

        probe.OnSent(old, queueDrops: 1); // the reader restarted at the cached keyframe
        probe.OnSent(Stopwatch.GetTimestamp(), queueDrops: 1);
        Assert.Equal(2, histogram.Count);
    }
}
