using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// The series of one (path label, transport): cached children, the totals of meters already
/// retired and, during a scrape, the sum over live meters. Touched only under the
/// <see cref="EgressMeters"/> lock.
/// </summary>
internal sealed class EgressSeries
{
    private readonly Counter.Child _packets;
    private readonly Counter.Child _bytes;
    private readonly Counter.Child _retransmitted;
    private readonly Counter.Child _nacks;
    private readonly Counter.Child _plis;
    private readonly Counter.Child _firs;
    private readonly Counter.Child _reports;
    private readonly Counter.Child _lost;
    private readonly Gauge.Child _readers;
    private Totals _retired;
    private Totals _live;
    private int _liveCount;

    public EgressSeries(string path, EgressTransport transport)
    {
        Path = path;
        Transport = transport;
        string label = EgressTransportLabels.Of(transport);
        _packets = MetricsRegistry.EgressPackets.WithLabels(path, label);
        _bytes = MetricsRegistry.EgressBytes.WithLabels(path, label);
        _retransmitted = MetricsRegistry.PacketsRetransmitted.WithLabels(path, label);
        _nacks = MetricsRegistry.NacksReceived.WithLabels(path, label);
        _plis = MetricsRegistry.PicturesLossReceived.WithLabels(path, label);
        _firs = MetricsRegistry.FullIntraRequestsReceived.WithLabels(path, label);
        _reports = MetricsRegistry.ReceiverReports.WithLabels(path, label);
        _lost = MetricsRegistry.ReportedPacketsLost.WithLabels(path, label);
        _readers = MetricsRegistry.Readers.WithLabels(path, label);
    }

    public string Path { get; }

    public EgressTransport Transport { get; }

    public void Retire(EgressMeter meter) => _retired.Add(meter);

    public void BeginScrape()
    {
        _live = default;
        _liveCount = 0;
    }

    public void AddLive(EgressMeter meter)
    {
        _live.Add(meter);
        _liveCount++;
    }

    /// <summary>
    /// Counters only move up (IncTo ignores a lower value), so a meter read live and retired later
    /// with a larger total never makes a series go back.
    /// </summary>
    public void Publish()
    {
        _packets.IncTo(_retired.Packets + _live.Packets);
        _bytes.IncTo(_retired.Bytes + _live.Bytes);
        _retransmitted.IncTo(_retired.Retransmitted + _live.Retransmitted);
        _nacks.IncTo(_retired.Nacks + _live.Nacks);
        _plis.IncTo(_retired.Plis + _live.Plis);
        _firs.IncTo(_retired.Firs + _live.Firs);
        _reports.IncTo(_retired.Reports + _live.Reports);
        _lost.IncTo(_retired.Lost + _live.Lost);
        _readers.Set(_liveCount);
    }

    private struct Totals
    {
        public long Packets;
        public long Bytes;
        public long Retransmitted;
        public long Nacks;
        public long Plis;
        public long Firs;
        public long Reports;
        public long Lost;

        public void Add(EgressMeter meter)
        {
            Packets += meter.PacketsSent;
            Bytes += meter.BytesSent;
            Retransmitted += meter.PacketsRetransmitted;
            Nacks += meter.NacksReceived;
            Plis += meter.PicturesLossReceived;
            Firs += meter.FullIntraRequestsReceived;
            Reports += meter.ReceiverReports;
            Lost += meter.PacketsLost;
        }
    }
}
