namespace MediaServer.Core.Sources;

/// <summary>Configuration section <c>Sources</c>: how the server treats every camera it pulls.</summary>
public sealed class SourceOptions
{
    /// <summary>The first wait after a failed attempt; it doubles per failure in a row.</summary>
    public double RetryMinSeconds { get; set; } = 1;

    /// <summary>The longest wait between attempts.</summary>
    public double RetryMaxSeconds { get; set; } = 30;

    /// <summary>Connecting and each request's answer.</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>No media this long while playing, and the attempt has failed.</summary>
    public double ReadTimeoutSeconds { get; set; } = 10;
}
