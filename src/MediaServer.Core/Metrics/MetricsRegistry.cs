using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Metric definitions, all prefixed <c>mediaserver_</c>. Only rare events (isolation violations,
/// a lagging reader's drops) touch these; per-packet counts live in plain fields of each stream.
/// </summary>
public static class MetricsRegistry
{
    public static readonly Counter IsolationViolations = Prometheus.Metrics.CreateCounter(
        "mediaserver_isolation_violations_total",
        "Packets refused because they were stamped for another stream or used after return to their pool. Must stay 0.");

    public static readonly Counter ReaderResyncs = Prometheus.Metrics.CreateCounter(
        "mediaserver_reader_resyncs_total",
        "Times a slow reader had its queue dropped and was resumed at the next keyframe.");

    public static readonly Counter ReaderDroppedPackets = Prometheus.Metrics.CreateCounter(
        "mediaserver_reader_dropped_packets_total",
        "Packets not delivered to readers that were too slow (they resume at the next keyframe).");

    public static readonly Counter AuthFailures = Prometheus.Metrics.CreateCounter(
        "mediaserver_auth_failures_total",
        "Requests refused for missing or wrong credentials, by protocol and reason.",
        new CounterConfiguration { LabelNames = ["protocol", "reason"] });

    public static readonly Counter LimitRejections = Prometheus.Metrics.CreateCounter(
        "mediaserver_limit_rejections_total",
        "Requests or connections refused because a configured limit was reached, by limit.",
        new CounterConfiguration { LabelNames = ["limit"] });
}
