using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Metrics;

namespace MediaServer.Benchmarks;

/// <summary>
/// What each egress loop adds per packet for metrics: the meter's traffic counters and the
/// sampled latency probe (must stay at 0 B allocated), against observing every packet, to show
/// what the 1-in-<see cref="EgressLatencyProbe.SampleEvery"/> sampling saves.
/// </summary>
[MemoryDiagnoser]
public class EgressMetricsBenchmarks
{
    private const int Packets = 1000;

    private readonly EgressMeter _meter = EgressMeters.Open("bench", EgressTransport.RtspTcp, 1);
    private readonly Prometheus.Histogram.Child _histogram = MetricsRegistry.EgressLatency.WithLabels("bench");

    [GlobalCleanup]
    public void Cleanup() => _meter.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets)]
    public void MeterAndSampledLatency()
    {
        // Fresh each run, so the probe sees live packets, not a replay it would skip.
        long arrival = Stopwatch.GetTimestamp();
        for (int i = 0; i < Packets; i++)
        {
            _meter.OnSent(1200);
            _meter.Latency.OnSent(arrival, queueDrops: 0);
        }
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public void MeterAndEveryPacketObserved()
    {
        long arrival = Stopwatch.GetTimestamp();
        for (int i = 0; i < Packets; i++)
        {
            _meter.OnSent(1200);
            _histogram.Observe(Stopwatch.GetElapsedTime(arrival).TotalSeconds);
        }
    }
}
