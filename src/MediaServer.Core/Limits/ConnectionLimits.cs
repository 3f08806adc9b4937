namespace MediaServer.Core.Limits;

/// <summary>
/// The <c>Limits</c> configuration section: TCP connections the process accepts over all its
/// listeners (RTSP, RTSPS, HTTP, HTTPS), in total and from one client address. The defaults leave
/// room for a large NVR or a load test behind one address while keeping one client from holding
/// every socket and the memory behind it.
/// </summary>
public sealed class ConnectionLimits
{
    public int MaxConnections { get; set; } = 8192;

    public int MaxConnectionsPerAddress { get; set; } = 512;

    /// <summary>
    /// HTTP connections an address past <see cref="MaxConnectionsPerAddress"/> may still open for
    /// GET /healthz and /readyz alone (one probe each, then closed): a kubelet shares its node's
    /// address with the node's other clients, and a full address must not look like a dead server.
    /// </summary>
    public int MaxProbeConnectionsPerAddress { get; set; } = 8;
}
