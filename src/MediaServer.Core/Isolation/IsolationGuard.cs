using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Isolation;

/// <summary>
/// The runtime guard of DESIGN.md invariants 3 and 4. Every packet an egress session is about to
/// send passes <see cref="Admit"/>: a packet stamped for another stream, another generation of the
/// same stream, or one already returned to its pool is dropped, logged as an error and counted in
/// <c>mediaserver_isolation_violations_total</c>. In a correct server the counter stays 0.
/// </summary>
/// <remarks>
/// One guard per host, owned by its <see cref="MediaPacketPool"/>: every packet of that host's
/// streams comes from the pool, so <see cref="Violations"/> counts exactly that host's refusals
/// (the Prometheus counter is process-wide, like every metric).
/// </remarks>
public sealed class IsolationGuard
{
    private readonly ILogger? _logger;
    private long _violations;

    /// <param name="logger">Where violations are logged; null counts them only.</param>
    public IsolationGuard(ILogger? logger = null) => _logger = logger;

    public long Violations => Interlocked.Read(ref _violations);

    public bool Admit(MediaPacket packet, StreamId streamId, long generation)
    {
        if (packet.IsStampedFor(streamId, generation))
        {
            return true;
        }

        Report(packet.IsLeased ? "packet stamped for another stream" : "packet used after return to its pool",
            streamId, packet.StampedStreamId);
        return false;
    }

    /// <summary>Counts a violation found elsewhere (for example a double release).</summary>
    public void Report(string what, StreamId expected, StreamId actual)
    {
        Interlocked.Increment(ref _violations);
        MetricsRegistry.IsolationViolations.Inc();
        _logger?.LogError("Isolation violation: {What}; expected stream {Expected}, packet stamped {Actual}",
            what, expected.Path, actual.Path);
    }
}
