namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>What the relays did, summed over every relay that shares this instance (they come and go with sessions).</summary>
internal sealed class FaultCounters
{
    private long _forwarded;
    private long _dropped;
    private long _duplicated;
    private long _reordered;
    private long _straySsrc;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Duplicated => Interlocked.Read(ref _duplicated);

    public long Reordered => Interlocked.Read(ref _reordered);

    public long Injected => Dropped + Duplicated + Reordered;

    /// <summary>
    /// RTP datagrams a relay got from the server with an SSRC other than the first it saw: media
    /// of some other session arriving at this client's port. Must stay 0.
    /// </summary>
    public long StraySsrc => Interlocked.Read(ref _straySsrc);

    public void CountStraySsrc() => Interlocked.Increment(ref _straySsrc);

    public void CountForwarded() => Interlocked.Increment(ref _forwarded);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountDuplicated() => Interlocked.Increment(ref _duplicated);

    public void CountReordered() => Interlocked.Increment(ref _reordered);

    public override string ToString() =>
        $"{Forwarded} datagrams relayed, {Dropped} dropped, {Duplicated} duplicated, {Reordered} reordered, {StraySsrc} with a stray SSRC";
}
