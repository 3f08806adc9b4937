namespace MediaServer.Core.Streams;

/// <summary>One lifecycle event of a path: which session, over which protocol, when.</summary>
public readonly record struct StreamEvent(StreamEventKind Kind, StreamId Path, string SessionId, string Protocol, DateTimeOffset At);
