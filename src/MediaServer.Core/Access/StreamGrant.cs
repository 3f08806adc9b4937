using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Proof that one action on one stream was authorised (DESIGN.md invariant 6). Only the
/// <see cref="StreamAuthorizer"/> can issue one; a stream refuses a grant for another id or action.
/// </summary>
public readonly struct StreamGrant
{
    internal StreamGrant(StreamId streamId, StreamAction action, PathRule rule)
    {
        StreamId = streamId;
        Action = action;
        Rule = rule;
    }

    public StreamId StreamId { get; }

    public StreamAction Action { get; }

    /// <summary>The configured path rule that matched.</summary>
    public PathRule? Rule { get; }

    public bool Allows(StreamId streamId, StreamAction action) =>
        Rule is not null && Action == action && StreamId == streamId;
}
