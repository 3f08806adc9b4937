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
public static class IsolationGuard
{
    private static long s_violations;

    public static long Violations => Interlocked.Read(ref s_violations);

    /// <summary>Set by the host so violations are logged; null means count only.</summary>
    public static ILogger? Logger { get; set; }

    public static bool Admit(MediaPacket packet, StreamId streamId, long generation)
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
    public static void Report(string what, StreamId expected, StreamId actual)
    {
        Interlocked.Increment(ref s_violations);
        MetricsRegistry.IsolationViolations.Inc();
        Logger?.LogError("Isolation violation: {What}; expected stream {Expected}, packet stamped {Actual}",
            what, expected.Path, actual.Path);
    }
}
