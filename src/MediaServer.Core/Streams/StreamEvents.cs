namespace MediaServer.Core.Streams;

/// <summary>
/// Publishers and readers starting and stopping, raised by the protocol servers at session set-up
/// and tear-down (never per packet) for hooks and logs. Handlers must return quickly: they run on
/// the protocol's thread, so slow work (a command, a webhook) is queued by the handler.
/// </summary>
public sealed class StreamEvents
{
    public event Action<StreamEvent>? Raised;

    public void Raise(StreamEventKind kind, StreamId path, string sessionId, string protocol) =>
        Raised?.Invoke(new StreamEvent(kind, path, sessionId, protocol, DateTimeOffset.UtcNow));
}
