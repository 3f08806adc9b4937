using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Metric definitions, all prefixed <c>mediaserver_</c>. Only rare events (isolation violations,
/// drops, RTCP feedback, session set-up) touch these directly; per-packet counts live in plain
/// fields of each stream and egress session and are copied in at scrape time
/// (<see cref="ScrapeCollector"/>). The one per-packet observation is the egress latency
/// histogram, sampled (<see cref="EgressLatencyProbe"/>).
/// </summary>
public static class MetricsRegistry
{
    private static readonly string[] PathAndTransport = ["path", "transport"];

    // Exemplars come from Activity.Current by default; none of ours has a trace worth linking,
    // and reading it would cost on the egress path.
    private static readonly ExemplarBehavior NoExemplars = ExemplarBehavior.NoExemplars();

    public static readonly Counter IsolationViolations = Prometheus.Metrics.CreateCounter(
        "mediaserver_isolation_violations_total",
        "Packets refused because they were stamped for another stream or used after return to their pool. Must stay 0.");

    public static readonly Counter SourceConnects = Prometheus.Metrics.CreateCounter(
        "mediaserver_source_connects_total",
        "Pulled sources (cameras the server pulls) opened and playing, by path (the first path that pulls the URL).",
        new CounterConfiguration { LabelNames = ["path"] });

    public static readonly Counter SourceFailures = Prometheus.Metrics.CreateCounter(
        "mediaserver_source_failures_total",
        "Attempts at a pulled source that failed or ended, by path and reason (unreachable, timeout, unauthorized, not_found, refused, protocol, unsupported_media, no_media, ended, publish_refused).",
        new CounterConfiguration { LabelNames = ["path", "reason"] });

    public static readonly Counter SourceBytes = Prometheus.Metrics.CreateCounter(
        "mediaserver_source_received_bytes_total",
        "Bytes read from pulled sources (RTSP, RTP and RTCP as received), by path.",
        new CounterConfiguration { LabelNames = ["path"] });

    public static readonly Counter AttributionConflicts = Prometheus.Metrics.CreateCounter(
        "mediaserver_attribution_conflicts_total",
        "Claims of a network identity (UDP source, SSRC, session id, ufrag, ...) already held by another session: refused, never overwritten. By map.",
        new CounterConfiguration { LabelNames = ["map"] });

    public static readonly Counter UnknownSourceDatagrams = Prometheus.Metrics.CreateCounter(
        "mediaserver_udp_unknown_source_datagrams_total",
        "UDP datagrams dropped because no session owns their source address (or, on WebRTC, that were not STUN, DTLS or SRTP), by socket.",
        new CounterConfiguration { LabelNames = ["socket"] });

    public static readonly Counter StunRejectedChecks = Prometheus.Metrics.CreateCounter(
        "mediaserver_stun_rejected_checks_total",
        "ICE connectivity checks refused: unknown ufrag, wrong username, bad integrity or fingerprint, or a source address another session holds.");

    public static readonly Counter ReaderResyncs = Prometheus.Metrics.CreateCounter(
        "mediaserver_reader_resyncs_total",
        "Times a slow reader had its queue dropped and was resumed at the next keyframe.");

    public static readonly Counter ReaderDroppedPackets = Prometheus.Metrics.CreateCounter(
        "mediaserver_reader_dropped_packets_total",
        "Packets not delivered to readers that were too slow (they resume at the next keyframe).");

    public static readonly Counter ReadersDisconnected = Prometheus.Metrics.CreateCounter(
        "mediaserver_readers_disconnected_total",
        "Readers the server disconnected on its own, by reason (stalled: took nothing from its queue for Streams:StalledReaderTimeoutSeconds).",
        new CounterConfiguration { LabelNames = ["reason"] });

    /// <summary>Exported (at 0) from the start, so an alert on it needs no series to appear first.</summary>
    public static readonly Counter.Child ReadersDisconnectedStalled = ReadersDisconnected.WithLabels("stalled");

    public static readonly Counter AuthFailures = Prometheus.Metrics.CreateCounter(
        "mediaserver_auth_failures_total",
        "Requests refused for missing or wrong credentials, by protocol and reason.",
        new CounterConfiguration { LabelNames = ["protocol", "reason"] });

    public static readonly Counter LimitRejections = Prometheus.Metrics.CreateCounter(
        "mediaserver_limit_rejections_total",
        "Requests or connections refused because a configured limit was reached, by limit.",
        new CounterConfiguration { LabelNames = ["limit"] });

    public static readonly Gauge Publishers = Prometheus.Metrics.CreateGauge(
        "mediaserver_publishers",
        "Streams being published, by path and ingest protocol.",
        new GaugeConfiguration { LabelNames = ["path", "protocol"] });

    public static readonly Gauge Readers = Prometheus.Metrics.CreateGauge(
        "mediaserver_readers",
        "Readers receiving a stream, by path and transport (rtsp_tcp, rtsp_udp, webrtc).",
        new GaugeConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter IngestPackets = Prometheus.Metrics.CreateCounter(
        "mediaserver_ingest_packets_total",
        "RTP packets accepted from publishers, by path.",
        new CounterConfiguration { LabelNames = ["path"] });

    public static readonly Counter IngestBytes = Prometheus.Metrics.CreateCounter(
        "mediaserver_ingest_bytes_total",
        "RTP bytes (headers included) accepted from publishers, by path.",
        new CounterConfiguration { LabelNames = ["path"] });

    public static readonly Counter EgressPackets = Prometheus.Metrics.CreateCounter(
        "mediaserver_egress_packets_total",
        "RTP packets sent to readers (retransmissions included), by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter EgressBytes = Prometheus.Metrics.CreateCounter(
        "mediaserver_egress_bytes_total",
        "RTP bytes sent to readers (SRTP-protected size for WebRTC), by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter DroppedPackets = Prometheus.Metrics.CreateCounter(
        "mediaserver_dropped_packets_total",
        "Packets not forwarded, by reason: lagging_reader, queue_full, malformed, too_large, unknown_track, session_ended, before_record, ssrc_mismatch, send_failed.",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter ReceiverReports = Prometheus.Metrics.CreateCounter(
        "mediaserver_rtcp_receiver_reports_total",
        "RTCP receiver report blocks received from readers, by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter ReportedPacketsLost = Prometheus.Metrics.CreateCounter(
        "mediaserver_rtcp_packets_lost_total",
        "Packets readers reported lost (growth of the RTCP cumulative lost count), by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Histogram ReportedFractionLost = Prometheus.Metrics.CreateHistogram(
        "mediaserver_rtcp_fraction_lost",
        "Fraction lost (0..1) in each RTCP receiver report block from readers, by transport.",
        new HistogramConfiguration
        {
            LabelNames = ["transport"],
            Buckets = [0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
            ExemplarBehavior = NoExemplars,
        });

    public static readonly Histogram ReportedJitter = Prometheus.Metrics.CreateHistogram(
        "mediaserver_rtcp_jitter_seconds",
        "Interarrival jitter in each RTCP receiver report block from readers, by transport.",
        new HistogramConfiguration
        {
            LabelNames = ["transport"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 12),
            ExemplarBehavior = NoExemplars,
        });

    public static readonly Counter NacksReceived = Prometheus.Metrics.CreateCounter(
        "mediaserver_nacks_received_total",
        "Packets readers asked for again (RTCP generic NACK entries), by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter PacketsRetransmitted = Prometheus.Metrics.CreateCounter(
        "mediaserver_packets_retransmitted_total",
        "Packets sent again in answer to a NACK, by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter PicturesLossReceived = Prometheus.Metrics.CreateCounter(
        "mediaserver_plis_received_total",
        "RTCP picture loss indications (PLI) received from readers, by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter FullIntraRequestsReceived = Prometheus.Metrics.CreateCounter(
        "mediaserver_firs_received_total",
        "RTCP full intra requests (FIR) received from readers, by path and transport.",
        new CounterConfiguration { LabelNames = PathAndTransport });

    public static readonly Counter PublisherFeedbackSent = Prometheus.Metrics.CreateCounter(
        "mediaserver_publisher_feedback_sent_total",
        "RTCP feedback the server sent to WHIP publishers: nack (packets asked for again), pli (keyframes asked for).",
        new CounterConfiguration { LabelNames = ["type"] });

    public static readonly Counter WebRtcKeyframeRequests = Prometheus.Metrics.CreateCounter(
        "mediaserver_webrtc_keyframe_requests_total",
        "PLI and FIR from WebRTC viewers by what they led to: reason=replayed (the cached GOP was resent), replay_in_flight or keyframe_already_sent (deferred to the next live keyframe, so a viewer that keeps asking does not get the GOP again and again).",
        new CounterConfiguration { LabelNames = ["path", "reason"] });

    public static readonly Histogram SessionSetup = Prometheus.Metrics.CreateHistogram(
        "mediaserver_session_setup_seconds",
        "Time to set a session up: RTSP from the connection's first request to PLAY or RECORD, WebRTC from the WHEP POST to DTLS connected.",
        new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 15),
            ExemplarBehavior = NoExemplars,
        });

    public static readonly Histogram EgressLatency = Prometheus.Metrics.CreateHistogram(
        "mediaserver_egress_latency_seconds",
        "Server-added latency, packet arrival to egress write, sampled; cached-GOP replay at a reader's start is excluded.",
        new HistogramConfiguration
        {
            LabelNames = ["transport"],
            Buckets = Histogram.ExponentialBuckets(0.00001, 2, 21),
            ExemplarBehavior = NoExemplars,
        });

    public static readonly Histogram RtspJoinLag = Prometheus.Metrics.CreateHistogram(
        "mediaserver_rtsp_join_lag_seconds",
        "Lag to live of each RTSP reader once its join replay ended: how far the timeline it was given trails the live edge, by join mode.",
        new HistogramConfiguration
        {
            LabelNames = ["mode"],
            Buckets = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5],
            ExemplarBehavior = NoExemplars,
        });

    public static readonly Histogram ReportedLostAtJoin = Prometheus.Metrics.CreateHistogram(
        "mediaserver_rtcp_lost_at_join_packets",
        "Cumulative lost count in a reader's first RTCP receiver report for each track (what it lost from its join to that report, which mediaserver_rtcp_packets_lost_total leaves out), by transport.",
        new HistogramConfiguration
        {
            LabelNames = ["transport"],
            Buckets = [0, 1, 5, 20, 50, 100, 200, 500, 1000, 5000],
            ExemplarBehavior = NoExemplars,
        });
}
