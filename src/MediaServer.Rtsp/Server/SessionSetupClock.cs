using System.Diagnostics;
using MediaServer.Core.Metrics;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// How long a client took to set a session up: from the first request since the last PLAY or
/// RECORD to the next one, observed in the session set-up histogram.
/// </summary>
internal sealed class SessionSetupClock
{
    private long _startedAt;

    /// <summary>Every request: starts the clock unless a set-up is in progress.</summary>
    public void OnRequest()
    {
        if (_startedAt == 0)
        {
            _startedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>A session started: observes its set-up time; the next request starts the next one.</summary>
    public void Observe(Prometheus.Histogram.Child kind)
    {
        SessionSetupTimes.ObserveSince(kind, _startedAt);
        _startedAt = 0;
    }
}
