namespace MediaServer;

/// <summary>Configuration section <c>Http</c>: the listener of WHEP, the player, the API and metrics.</summary>
public sealed class HttpOptions
{
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>HTTP TCP port; 0 picks a free one, -1 turns plain HTTP off (HTTPS only).</summary>
    public int Port { get; set; } = 8889;

    /// <summary>HTTPS TCP port, used when <c>Tls:CertificatePath</c> is set; 0 picks a free one.</summary>
    public int TlsPort { get; set; } = 8443;

    public HttpLimits Limits { get; set; } = new();
}
