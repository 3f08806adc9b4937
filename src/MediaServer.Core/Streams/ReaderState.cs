namespace MediaServer.Core.Streams;

/// <summary>Where a reader stands, as seen by the stream's publisher (which alone writes it).</summary>
internal enum ReaderState
{
    /// <summary>Subscribed, not yet given anything by the publisher.</summary>
    Pending,

    /// <summary>Gets every packet.</summary>
    Live,

    /// <summary>Its queue overflowed; waiting for the reader to drop what it had queued.</summary>
    Overflowed,

    /// <summary>Gets nothing until the next keyframe, so it never resumes mid-GOP.</summary>
    AwaitingKeyframe,

    /// <summary>Disconnected for taking nothing from its queue for too long; gets nothing until its owner lets go.</summary>
    Stalled,
}
