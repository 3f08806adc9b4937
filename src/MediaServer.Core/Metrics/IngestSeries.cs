using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// The ingest series of one path label: cached children and the totals of streams already
/// closed. Touched only under the <see cref="IngestMeters"/> lock.
/// </summary>
internal sealed class IngestSeries
{
    // Only RTSP publishes today; the label is there for the ingest protocols to come.
    private const string Protocol = "rtsp";

    private readonly Counter.Child _packets;
    private readonly Counter.Child _bytes;
    private readonly Gauge.Child _publishers;
    private long _retiredPackets;
    private long _retiredBytes;
    private long _livePackets;
    private long _liveBytes;
    private int _liveCount;

    public IngestSeries(string path)
    {
        _packets = MetricsRegistry.IngestPackets.WithLabels(path);
        _bytes = MetricsRegistry.IngestBytes.WithLabels(path);
        _publishers = MetricsRegistry.Publishers.WithLabels(path, Protocol);
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
        _liveCount = 0;
    }

    public void AddLive(long packets, long bytes)
    {
        _livePackets += packets;
        _liveBytes += bytes;
        _liveCount++;
    }

    public void Publish()
    {
        _packets.IncTo(_retiredPackets + _livePackets);
        _bytes.IncTo(_retiredBytes + _liveBytes);
        _publishers.Set(_liveCount);
    }
}
