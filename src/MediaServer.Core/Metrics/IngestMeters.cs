using System.Collections.Concurrent;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Ingest traffic and publishers per path, read at scrape time from each stream's own counters
/// (<see cref="MediaStream.PacketsIn"/>, <see cref="MediaStream.BytesIn"/>) so the publisher's
/// hot path increments nothing shared. A closed stream's final counts are folded into its path's
/// totals, so the counters keep growing across republications.
/// </summary>
public static class IngestMeters
{
    private static readonly ConcurrentDictionary<StreamRegistry, byte> Registries = new();
    private static readonly Dictionary<string, IngestSeries> Series = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Makes a registry's streams visible to scrapes (one per server in the process).</summary>
    public static void Attach(StreamRegistry registry)
    {
        ScrapeCollector.Register();
        Registries.TryAdd(registry, 0);
    }

    public static void Detach(StreamRegistry registry) => Registries.TryRemove(registry, out _);

    /// <summary>Called by <see cref="MediaStream.Close"/> once, after its publisher can no longer enter.</summary>
    internal static void Retire(MediaStream stream)
    {
        lock (Gate)
        {
            SeriesFor(stream.MetricsPath).Retire(stream.PacketsIn, stream.BytesIn);
        }
    }

    internal static void Collect()
    {
        lock (Gate)
        {
            foreach (IngestSeries series in Series.Values)
            {
                series.BeginScrape();
            }

            foreach (StreamRegistry registry in Registries.Keys)
            {
                foreach (MediaStream stream in registry.Streams)
                {
                    // Checked under the lock Retire takes: a stream is counted live or retired, not both.
                    if (!stream.IsClosed)
                    {
                        SeriesFor(stream.MetricsPath).AddLive(stream.PacketsIn, stream.BytesIn, stream.Protocol);
                    }
                }
            }

            foreach (IngestSeries series in Series.Values)
            {
                series.Publish();
            }
        }
    }

    private static IngestSeries SeriesFor(string path)
    {
        if (!Series.TryGetValue(path, out IngestSeries? series))
        {
            series = new IngestSeries(path);
            Series.Add(path, series);
        }

        return series;
    }
}
