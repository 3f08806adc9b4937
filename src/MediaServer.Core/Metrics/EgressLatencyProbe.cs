using System.Diagnostics;
using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Observes server-added latency (a packet's arrival to its egress write) for one egress loop.
/// Egress loop only: plain fields, no locks, no allocation.
/// </summary>
/// <remarks>
/// One packet in <see cref="SampleEvery"/> is observed. Histogram.Observe allocates nothing, but
/// it does a bucket search and two interlocked updates on cache lines every egress loop of the
/// same transport shares; at thousands of readers that contention, not the arithmetic, is the
/// cost. Packets of one burst have near-equal latency, so sampling keeps the distribution while
/// cutting the shared writes (and the clock reads) eightfold.
/// Packets replayed from the segment cache when a reader starts or restarts at a keyframe are
/// as old as the GOP: they are skipped until the first packet younger than the catch-up age, so
/// the histogram shows what the server adds to live packets.
/// </remarks>
public sealed class EgressLatencyProbe
{
    public const int SampleEvery = 8;

    // Same threshold WebRTC egress uses to tell a cached replay from live media.
    private static readonly long CatchUpAge = Stopwatch.Frequency / 7;
    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;

    private readonly Histogram.Child _histogram;
    private long _seenQueueDrops;
    private bool _catchingUp = true;
    private int _countdown = 1;

    public EgressLatencyProbe(Histogram.Child histogram) => _histogram = histogram;

    /// <summary>After a packet was written; <paramref name="queueDrops"/> is the reader's <c>QueueDrops</c>.</summary>
    public void OnSent(long arrivalTimestamp, long queueDrops)
    {
        if (queueDrops != _seenQueueDrops)
        {
            // The reader restarted at the cached keyframe: a replay follows.
            _seenQueueDrops = queueDrops;
            _catchingUp = true;
        }

        if (!_catchingUp && --_countdown > 0)
        {
            return;
        }

        long age = Stopwatch.GetTimestamp() - arrivalTimestamp;
        if (_catchingUp)
        {
            if (age > CatchUpAge)
            {
                return;
            }

            _catchingUp = false;
        }

        _countdown = SampleEvery;
        _histogram.Observe(age * SecondsPerTick);
    }
}
