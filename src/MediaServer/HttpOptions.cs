namespace MediaServer;

/// <summary>Configuration section <c>Http</c>: the API, metrics and (later) WHEP listener.</summary>
public sealed class HttpOptions
{
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>HTTP TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = 8889;
}
