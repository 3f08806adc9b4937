using System.Collections.Concurrent;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Every egress session's <see cref="EgressMeter"/>, live or retired, folded into per (path,
/// transport) series at scrape time. Opening and retiring happen once per session, never per packet.
/// </summary>
public static class EgressMeters
{
    private static readonly ConcurrentDictionary<EgressMeter, byte> Live = new();
    private static readonly Dictionary<(string Path, EgressTransport Transport), EgressSeries> Series = [];
    private static readonly Lock Gate = new();

    /// <summary>A meter for a new egress session of a stream labelled <paramref name="pathLabel"/>.</summary>
    public static EgressMeter Open(string pathLabel, EgressTransport transport, int trackCount)
    {
        ScrapeCollector.Register();
        EgressMeter meter;
        lock (Gate)
        {
            if (!Series.TryGetValue((pathLabel, transport), out EgressSeries? series))
            {
                series = new EgressSeries(pathLabel, transport);
                Series.Add((pathLabel, transport), series);
            }

            meter = new EgressMeter(series, trackCount);
            Live.TryAdd(meter, 0);
        }

        return meter;
    }

    internal static void Retire(EgressMeter meter)
    {
        lock (Gate)
        {
            if (Live.TryRemove(meter, out _))
            {
                meter.Series.Retire(meter);
            }
        }
    }

    internal static void Collect()
    {
        lock (Gate)
        {
            foreach (EgressSeries series in Series.Values)
            {
                series.BeginScrape();
            }

            foreach (EgressMeter meter in Live.Keys)
            {
                meter.Series.AddLive(meter);
            }

            foreach (EgressSeries series in Series.Values)
            {
                series.Publish();
            }
        }
    }
}
