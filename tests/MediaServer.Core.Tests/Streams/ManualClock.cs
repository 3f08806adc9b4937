namespace MediaServer.Core.Tests.Streams;

/// <summary>A clock that moves only when told, so a test can let seconds pass without waiting for them.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _now = 1;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Volatile.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)(by.TotalSeconds * TimestampFrequency));
}
