namespace MediaServer.Core.Sources;

/// <summary>Where a pulled source is, as <c>/v1/paths</c> shows it.</summary>
public enum SourceState
{
    /// <summary>On demand, and nobody reads the path: no connection to the camera.</summary>
    Idle,

    /// <summary>Opening the camera (connect, authenticate, describe, set up).</summary>
    Connecting,

    /// <summary>Playing: the path's stream is published.</summary>
    Ready,

    /// <summary>The last attempt failed; the next one is at <see cref="SourceStatus.NextAttemptAt"/>.</summary>
    Retrying,
}
