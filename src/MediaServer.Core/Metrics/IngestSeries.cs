using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// The ingest series of one path label: cached children and the totals of streams already
/// closed. Touched only under the <see cref="IngestMeters"/> lock.
/// </summary>
internal sealed class IngestSeries
{
    private readonly string _path;
    private readonly Counter.Child _packets;
    private readonly Counter.Child _bytes;

    // Per publishing protocol: a protocol seen once keeps its series (at 0 when none publishes).
    private readonly Dictionary<string, PublisherCount> _publishers = new(StringComparer.Ordinal);
    private long _retiredPackets;
    private long _retiredBytes;
    private long _livePackets;
    private long _liveBytes;

    public IngestSeries(string path)
    {
        _path = path;
        _packets = MetricsRegistry.IngestPackets.WithLabels(path);
        _bytes = MetricsRegistry.IngestBytes.WithLabels(path);
    }

    public void Retire(long packets, long bytes)
    {
        _retiredPackets += packets;
        _retiredBytes += bytes;
    }

    public void BeginScrape()
    {
        _livePackets = 0;
        _liveBytes = 0;
        foreach (PublisherCount count in _publishers.Values)
        {
            count.Live = 0;
        }
    }

    public void AddLive(long packets, long bytes, string protocol)
    {
        _livePackets += packets;
        _liveBytes += bytes;
        if (!_publishers.TryGetValue(protocol, out PublisherCount? count))
        {
            count = new PublisherCount(MetricsRegistry.Publishers.WithLabels(_path, protocol));
            _publishers.Add(protocol, count);
        }

        count.Live++;
    }

    public void Publish()
    {
        _packets.IncTo(_retiredPackets + _livePackets);
        _bytes.IncTo(_retiredBytes + _liveBytes);
        foreach (PublisherCount count in _publishers.Values)
        {
            count.Gauge.Set(count.Live);
        }
    }

    private sealed class PublisherCount(Gauge.Child gauge)
    {
        public Gauge.Child Gauge { get; } = gauge;

        public int Live { get; set; }
    }
}
