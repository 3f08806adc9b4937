namespace MediaServer.LoadGenerator;

/// <summary>One viewer of one camera, over one transport.</summary>
internal interface IReader : IAsyncDisposable
{
    ReaderCounters Counters { get; }

    /// <summary>Errors after set-up (a connection that broke, a failed keepalive).</summary>
    long Errors { get; }

    /// <summary>Periodic upkeep from the generator's one housekeeping thread (keepalives).</summary>
    void KeepAlive();
}
