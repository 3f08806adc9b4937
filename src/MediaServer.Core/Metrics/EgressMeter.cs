using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// One egress session's counters. The egress loop writes the traffic counters with plain stores
/// (it is their only writer); RTCP threads add feedback with interlocked operations. Nothing here
/// touches a Prometheus series per packet except the sampled <see cref="Latency"/> probe: the
/// totals are copied into the series at scrape time (<see cref="EgressMeters"/>).
/// </summary>
public sealed class EgressMeter : IDisposable
{
    private static readonly Histogram.Child[] FractionLostByTransport = ChildrenByTransport(MetricsRegistry.ReportedFractionLost);
    private static readonly Histogram.Child[] JitterByTransport = ChildrenByTransport(MetricsRegistry.ReportedJitter);
    private static readonly Histogram.Child[] LatencyByTransport = ChildrenByTransport(MetricsRegistry.EgressLatency);
    private static readonly Histogram.Child[] LostAtJoinByTransport = ChildrenByTransport(MetricsRegistry.ReportedLostAtJoin);

    private readonly long[] _lastCumulativeLost;
    private long _packets;
    private long _bytes;
    private long _retransmitted;
    private long _nacks;
    private long _plis;
    private long _firs;
    private long _reports;
    private long _lost;
    private int _disposed;

    internal EgressMeter(EgressSeries series, int trackCount)
    {
        Series = series;
        Latency = new EgressLatencyProbe(LatencyByTransport[(int)series.Transport]);
        _lastCumulativeLost = new long[Math.Max(1, trackCount)];
        Array.Fill(_lastCumulativeLost, long.MinValue);
    }

    public EgressTransport Transport => Series.Transport;

    public string PathLabel => Series.Path;

    public EgressLatencyProbe Latency { get; }

    public long PacketsSent => Volatile.Read(ref _packets);

    public long BytesSent => Volatile.Read(ref _bytes);

    public long PacketsRetransmitted => Volatile.Read(ref _retransmitted);

    public long NacksReceived => Interlocked.Read(ref _nacks);

    public long PicturesLossReceived => Interlocked.Read(ref _plis);

    public long FullIntraRequestsReceived => Interlocked.Read(ref _firs);

    public long ReceiverReports => Interlocked.Read(ref _reports);

    public long PacketsLost => Interlocked.Read(ref _lost);

    /// <summary>
    /// The reader's own count of packets lost since it started: the cumulative lost of its latest
    /// receiver report, summed over tracks (join losses included); 0 before any report.
    /// </summary>
    public long ReportedCumulativeLost
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _lastCumulativeLost.Length; i++)
            {
                long lost = Interlocked.Read(ref _lastCumulativeLost[i]);
                sum += lost > 0 ? lost : 0;
            }

            return sum;
        }
    }

    internal EgressSeries Series { get; }

    /// <summary>Egress loop only: one packet written to the reader.</summary>
    public void OnSent(int bytes)
    {
        Volatile.Write(ref _packets, _packets + 1);
        Volatile.Write(ref _bytes, _bytes + bytes);
    }

    /// <summary>Egress loop only: a packet sent again for a NACK (also counted by <see cref="OnSent"/>).</summary>
    public void OnRetransmitted() => Volatile.Write(ref _retransmitted, _retransmitted + 1);

    public void OnNacks(int packets) => Interlocked.Add(ref _nacks, packets);

    public void OnPictureLoss() => Interlocked.Increment(ref _plis);

    public void OnFullIntraRequest() => Interlocked.Increment(ref _firs);

    /// <summary>
    /// One RTCP report block about <paramref name="trackIndex"/>: fraction lost (1/256ths), the
    /// cumulative lost count and jitter in units of the track's <paramref name="clockRate"/>.
    /// </summary>
    public void OnReceiverReport(int trackIndex, byte fractionLost, int cumulativeLost, uint jitter, int clockRate)
    {
        Interlocked.Increment(ref _reports);
        int transport = (int)Transport;
        FractionLostByTransport[transport].Observe(fractionLost / 256.0);
        if (clockRate > 0)
        {
            JitterByTransport[transport].Observe((double)jitter / clockRate);
        }

        if ((uint)trackIndex < (uint)_lastCumulativeLost.Length)
        {
            // Only growth counts: the count may go down (duplicates) and starts at whatever the
            // receiver had lost before its first report.
            long previous = Interlocked.Exchange(ref _lastCumulativeLost[trackIndex], cumulativeLost);
            if (previous == long.MinValue)
            {
                // What the receiver lost before its first report: mostly its join.
                LostAtJoinByTransport[transport].Observe(Math.Max(0, cumulativeLost));
            }
            else if (cumulativeLost > previous)
            {
                Interlocked.Add(ref _lost, cumulativeLost - previous);
            }
        }
    }

    /// <summary>After the egress loop ended: folds the totals into the retired sums, once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            EgressMeters.Retire(this);
        }
    }

    private static Histogram.Child[] ChildrenByTransport(Histogram histogram) =>
    [
        histogram.WithLabels(EgressTransportLabels.Of(EgressTransport.RtspTcp)),
        histogram.WithLabels(EgressTransportLabels.Of(EgressTransport.RtspUdp)),
        histogram.WithLabels(EgressTransportLabels.Of(EgressTransport.WebRtc)),
    ];
}
