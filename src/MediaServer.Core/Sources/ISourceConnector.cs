namespace MediaServer.Core.Sources;

/// <summary>Opens sources of one URL scheme family (RTSP: <c>rtsp</c>, <c>rtsps</c>).</summary>
public interface ISourceConnector
{
    /// <summary>Whether this connector pulls <paramref name="uri"/>.</summary>
    bool Handles(SourceUri uri);

    /// <summary>
    /// Connects, authenticates, describes and sets up every track, without playing yet. Throws
    /// <see cref="SourceException"/> with the reason when the camera cannot be opened.
    /// </summary>
    Task<ISourceConnection> OpenAsync(SourceUri uri, SourceConnectOptions options, CancellationToken cancellationToken);
}
