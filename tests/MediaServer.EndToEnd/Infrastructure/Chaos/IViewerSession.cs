namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>One connection of a viewer, whatever its protocol; it ends by itself when the stream or the connection does.</summary>
internal interface IViewerSession : IAsyncDisposable
{
    /// <summary>Completes when the session is over (stream ended, connection lost, decoder gone).</summary>
    Task Ended { get; }
}
