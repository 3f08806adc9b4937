namespace MediaServer.Core.Metrics;

/// <summary>
/// Copies the per-stream and per-session counters into their Prometheus series just before each
/// scrape, instead of incrementing shared series per packet.
/// </summary>
public static class ScrapeCollector
{
    private static int s_registered;

    /// <summary>Idempotent; the callback lives as long as the process's default registry.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Collect);
        }
    }

    /// <summary>What a scrape runs first; public for tests that read series without HTTP.</summary>
    public static void Collect()
    {
        IngestMeters.Collect();
        EgressMeters.Collect();
    }
}
