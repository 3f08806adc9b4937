namespace MediaServer.Lifecycle;

/// <summary>Configuration section <c>Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    /// <summary>
    /// Seconds SIGTERM (or Ctrl+C) gives sessions to end politely before the process exits anyway.
    /// </summary>
    public int GracePeriodSeconds { get; set; } = 10;
}
