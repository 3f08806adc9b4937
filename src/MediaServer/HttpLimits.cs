namespace MediaServer;

/// <summary>
/// Configuration section <c>Http:Limits</c>, handed to Kestrel: what one HTTP request may make
/// the server buffer, and how long a client may take to send its headers (slowloris).
/// </summary>
public sealed class HttpLimits
{
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Largest request body; WHEP offers are further limited to 64 KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    public int KeepAliveTimeoutSeconds { get; set; } = 120;
}
