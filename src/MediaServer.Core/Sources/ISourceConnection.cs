using MediaServer.Media.Sdp;

namespace MediaServer.Core.Sources;

/// <summary>
/// One opened attempt at a source: its tracks are set up, nothing plays yet. Disposing it ends the
/// attempt (TEARDOWN where the protocol has one, then the connection).
/// </summary>
public interface ISourceConnection : IAsyncDisposable
{
    /// <summary>The tracks the stream will carry, in the order the packets name them (track index = media index).</summary>
    SessionDescription Description { get; }

    /// <summary>How the media travels, for logs and the API (<c>tcp</c>, <c>udp</c>, <c>tls</c>).</summary>
    string Transport { get; }

    /// <summary>
    /// Plays, and hands every packet to <paramref name="publisher"/> from one thread at a time until
    /// the source ends or fails (throws <see cref="SourceException"/>; <see cref="SourceFailureReason.Ended"/>
    /// when the camera closed) or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task RunAsync(SourcePublisher publisher, CancellationToken cancellationToken);
}
