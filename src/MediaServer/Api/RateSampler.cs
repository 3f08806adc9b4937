using System.Diagnostics;
using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>
/// Bit rates per path from the byte counters the streams and sessions keep anyway: once per
/// interval it reads them, keeps the sample, and publishes the difference to the previous one.
/// Off the hot path; the cost is one enumeration of streams and sessions per interval.
/// </summary>
internal sealed class RateSampler : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly StreamRegistry _registry;
    private readonly SessionDirectory _sessions;
    private Dictionary<MediaStream, long> _bytesIn = new(ReferenceEqualityComparer.Instance);
    private Dictionary<string, long> _bytesOut = new(StringComparer.Ordinal);
    private Dictionary<MediaStream, StreamRates> _rates = new(ReferenceEqualityComparer.Instance);
    private long _sampledAt = Stopwatch.GetTimestamp();

    public RateSampler(StreamRegistry registry, SessionDirectory sessions)
    {
        _registry = registry;
        _sessions = sessions;
    }

    /// <summary>The rates of the last interval; zero before a stream has been sampled twice.</summary>
    public StreamRates RatesOf(MediaStream stream) =>
        Volatile.Read(ref _rates).GetValueOrDefault(stream);

    /// <summary>Takes one sample; only the timer calls it, every <see cref="Interval"/>.</summary>
    public void Sample()
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_sampledAt, now).TotalSeconds;
        _sampledAt = now;
        if (seconds <= 0)
        {
            return;
        }

        var bytesIn = new Dictionary<MediaStream, long>(ReferenceEqualityComparer.Instance);
        var bytesOut = new Dictionary<string, long>(StringComparer.Ordinal);
        var outDelta = new Dictionary<MediaStream, long>(ReferenceEqualityComparer.Instance);
        foreach (SessionEntry session in _sessions.Snapshot())
        {
            if (session.Stream is null || session.BytesSent == 0)
            {
                continue;
            }

            bytesOut[session.Id] = session.BytesSent;
            long delta = session.BytesSent - _bytesOut.GetValueOrDefault(session.Id);
            outDelta[session.Stream] = outDelta.GetValueOrDefault(session.Stream) + Math.Max(0, delta);
        }

        var rates = new Dictionary<MediaStream, StreamRates>(ReferenceEqualityComparer.Instance);
        foreach (MediaStream stream in _registry.Streams)
        {
            long total = stream.BytesIn;
            bytesIn[stream] = total;
            long deltaIn = total - _bytesIn.GetValueOrDefault(stream);
            rates[stream] = new StreamRates(
                BitsPerSecond(deltaIn, seconds),
                BitsPerSecond(outDelta.GetValueOrDefault(stream), seconds));
        }

        _bytesIn = bytesIn;
        _bytesOut = bytesOut;
        Volatile.Write(ref _rates, rates);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long BitsPerSecond(long bytes, double seconds) => (long)(Math.Max(0, bytes) * 8 / seconds);
}
