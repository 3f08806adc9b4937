namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// How long the chaos runs: a short form in the normal test command, or a soak when
/// <c>MEDIASERVER_SOAK_SECONDS</c> is set. Figures that scale with time scale from here.
/// </summary>
internal sealed record ChaosSettings(TimeSpan Chaos)
{
    public const string SoakVariable = "MEDIASERVER_SOAK_SECONDS";

    public static ChaosSettings FromEnvironment() =>
        new(TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable(SoakVariable), out int seconds) && seconds > 0 ? seconds : 40));

    /// <summary>Ceiling on everything the test starts (relays, proxies, viewer loops), so nothing outlives a hung run for long.</summary>
    public TimeSpan Lifetime => Chaos + TimeSpan.FromMinutes(5);

    /// <summary>
    /// Frames of its own colour every viewer must decode: a tenth of what 25 fps over the chaos
    /// would give, at least 100. Outages, reconnects and stalls cost frames; decoding nothing must fail.
    /// </summary>
    public long MinOwnFrames => Math.Max(100, (long)(Chaos.TotalSeconds * 25 / 10));

    /// <summary>Seconds between camera restarts (each camera in turn).</summary>
    public TimeSpan RestartEvery => TimeSpan.FromSeconds(6);
}
