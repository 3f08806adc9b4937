namespace MediaServer.Core.Streams;

/// <summary>
/// Starts a path's stream when a reader asks for one nobody is publishing: a pulled source on
/// demand. Called after the reader was authorised, never per packet.
/// </summary>
public interface IStreamActivator
{
    /// <summary>
    /// The path's stream once its source plays, waiting up to the path's start timeout; null when
    /// the path has no source or it did not start in time.
    /// </summary>
    ValueTask<MediaStream?> ActivateAsync(StreamId id, CancellationToken cancellationToken);
}
