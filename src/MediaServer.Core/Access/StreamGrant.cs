using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Proof that one action on one stream was authorised (DESIGN.md invariant 6). Only the
/// <see cref="StreamAuthorizer"/> can issue one; a stream refuses a grant for another id or action.
/// </summary>
public readonly struct StreamGrant
{
    internal StreamGrant(StreamId streamId, StreamAction action, PathRule rule, bool isSource = false)
    {
        StreamId = streamId;
        Action = action;
        Rule = rule;
        IsSource = isSource;
    }

    public StreamId StreamId { get; }

    public StreamAction Action { get; }

    /// <summary>The configured path rule that matched.</summary>
    public PathRule? Rule { get; }

    /// <summary>Issued to the server's own pulled source of the path, the only publisher a path with a source has.</summary>
    public bool IsSource { get; }

    public bool Allows(StreamId streamId, StreamAction action) =>
        Rule is not null && Action == action && StreamId == streamId;
}
