namespace MediaServer.Core.Metrics;

/// <summary>The <c>Metrics</c> configuration section.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Distinct <c>path</c> label values at most; later paths are reported as <c>path="_other"</c>,
    /// so a client publishing many paths cannot blow up the scrape (or Prometheus).
    /// </summary>
    public int MaxPathLabels { get; set; } = 256;

    /// <summary>-1: <c>/metrics</c> is served on the main HTTP listener; otherwise only on this port (0 = any free port).</summary>
    public int Port { get; set; } = -1;

    /// <summary>The address the separate metrics listener binds when <see cref="Port"/> is set.</summary>
    public string Address { get; set; } = "0.0.0.0";
}
