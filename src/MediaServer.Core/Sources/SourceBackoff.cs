namespace MediaServer.Core.Sources;

/// <summary>
/// The wait before a pulled source's next attempt: doubling from <see cref="Min"/> up to
/// <see cref="Max"/>, each wait spread by ±20 % so that cameras behind one NVR that failed
/// together (a reboot, a network blip) do not all come back in the same instant.
/// </summary>
public sealed class SourceBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private const double Jitter = 0.2;

    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan Min { get; } = min;

    public TimeSpan Max { get; } = max < min ? min : max;

    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 for the first).</summary>
    public TimeSpan Delay(int failures)
    {
        double exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        double baseMs = Math.Min(Min.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        double spread = 1 + (((_random.NextDouble() * 2) - 1) * Jitter);
        return TimeSpan.FromMilliseconds(baseMs * spread);
    }
}
