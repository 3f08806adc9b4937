using System.Diagnostics;

namespace MediaServer.Core.Streams;

/// <summary>
/// A token bucket for one reader's join replay (RTSP over UDP, WebRTC): up to a burst of bytes back to back, then no faster
/// than a rate. It only measures; the egress loop waits (between flushes) when it says so, so a
/// paced reader never holds the publisher or another reader. Egress loop only, no allocation.
/// </summary>
public sealed class ReplayPacer
{
    private readonly double _bytesPerTick;
    private readonly long _burstBytes;
    private double _budget;
    private long _refilledAt;

    public ReplayPacer(long bytesPerSecond, int burstBytes)
    {
        _bytesPerTick = (double)bytesPerSecond / Stopwatch.Frequency;
        _burstBytes = burstBytes;
        _budget = burstBytes;
    }

    /// <summary>Spends <paramref name="bytes"/> just sent (the budget may go below zero by one packet).</summary>
    public void OnSent(int bytes, long now)
    {
        Refill(now);
        _budget -= bytes;
    }

    /// <summary>Stopwatch ticks to wait before the next packet may go; 0 when it may go now.</summary>
    public long TicksUntilReady(long now)
    {
        Refill(now);
        return _budget > 0 ? 0 : (long)Math.Ceiling((1 - _budget) / _bytesPerTick);
    }

    private void Refill(long now)
    {
        if (_refilledAt != 0)
        {
            _budget = Math.Min(_burstBytes, _budget + (now - _refilledAt) * _bytesPerTick);
        }

        _refilledAt = now;
    }
}
