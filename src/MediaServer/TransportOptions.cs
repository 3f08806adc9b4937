namespace MediaServer;

/// <summary>Configuration section <c>Transport</c>: how Kestrel's socket transport schedules work.</summary>
public sealed class TransportOptions
{
    /// <summary>
    /// Run socket completions and Kestrel's pipe continuations inline on the socket engine's thread
    /// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 and Kestrel's UnsafePreferInlineScheduling):
    /// a camera's data is fanned out and a reader's burst written without thread-pool hops, which
    /// cut the 100 cameras x 4 readers p99 from about 12-18 ms to about 4 ms in the load generator.
    /// Off by default: request handling then runs on that one thread too, so the first check of a
    /// password (a 210,000-round PBKDF2, ~100 ms) would hold every stream for its duration.
    /// </summary>
    public bool InlineScheduling { get; set; }
}
