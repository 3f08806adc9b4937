using MediaServer.Core.Metrics;
using Prometheus;

namespace MediaServer.Core.Attribution;

/// <summary>
/// The refused claims of one attribution map: every one is counted in
/// <c>mediaserver_attribution_conflicts_total{map}</c>, and at most one a second is to be logged,
/// with the number refused since the last line, so that a flood of claims (a spoofer's packets)
/// neither floods the log nor costs a log line each. The caller writes the line, in the words of
/// its map; nothing is formatted for a refusal that is not logged.
/// </summary>
public sealed class AttributionConflicts(string map)
{
    private const long LogIntervalMs = 1000;

    private readonly Counter.Child _counter = MetricsRegistry.AttributionConflicts.WithLabels(map);
    private long _nextLogAt;
    private long _unlogged;

    /// <summary>The map's name (<see cref="AttributionMap"/>).</summary>
    public string Map { get; } = map;

    /// <summary>
    /// Counts one refused claim; true when the caller should log it, with
    /// <paramref name="alsoRefused"/> the refusals since the last logged one.
    /// </summary>
    public bool Count(out long alsoRefused)
    {
        _counter.Inc();
        long now = Environment.TickCount64;
        long next = Volatile.Read(ref _nextLogAt);
        if (now < next || Interlocked.CompareExchange(ref _nextLogAt, now + LogIntervalMs, next) != next)
        {
            Interlocked.Increment(ref _unlogged);
            alsoRefused = 0;
            return false;
        }

        alsoRefused = Interlocked.Exchange(ref _unlogged, 0);
        return true;
    }
}
