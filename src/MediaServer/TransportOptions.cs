namespace MediaServer;

/// <summary>Configuration section <c>Transport</c>: how Kestrel's socket transport schedules work.</summary>
public sealed class TransportOptions
{
    /// <summary>
    /// Run Kestrel's pipe continuations inline (Kestrel's UnsafePreferInlineScheduling): a reader's
    /// egress writes its burst to the socket on its own thread instead of handing it to Kestrel's
    /// I/O queue, and a camera's data reaches the RTSP loop without another thread-pool hop.
    /// Safe with socket completions left on the thread pool (the default): the code run inline is
    /// then on a pool thread, as it would have been anyway.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// Also run socket completions on the socket engine's thread
    /// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1). Off by default: request handling then runs
    /// on that one thread too, so the first check of a password (a 210,000-round PBKDF2, ~100 ms)
    /// would hold every stream for its duration.
    /// </summary>
    public bool InlineSocketCompletions { get; set; }
}
