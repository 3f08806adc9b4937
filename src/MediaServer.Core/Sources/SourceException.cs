namespace MediaServer.Core.Sources;

/// <summary>A pulled source's attempt failed; <see cref="Reason"/> says why in one word, the message for people.</summary>
public sealed class SourceException(SourceFailureReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceFailureReason Reason { get; } = reason;
}
