using MediaServer.Core.Limits;
using MediaServer.Rtsp.Server;
using Microsoft.AspNetCore.Connections;

namespace MediaServer.Http;

/// <summary>
/// Connection limits on the HTTP listeners (<see cref="ConnectionLimitMiddleware"/>): a connection
/// past them gets a bare 503 at accept, without waiting for a request (plain HTTP), or is closed
/// before its TLS handshake (HTTPS). One past its address's limit only, while the total has room,
/// is admitted probe-only (<see cref="ProbeOnlyRequests"/>) within
/// <c>Limits:MaxProbeConnectionsPerAddress</c>.
/// </summary>
internal static class HttpConnectionLimit
{
    private static readonly byte[] Refusal =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n\r\ntoo many connections, sorry\n"u8.ToArray();

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(ConnectionLimiter limiter, ILogger logger, bool tls) =>
        ConnectionLimitMiddleware.Create(limiter, logger, "HTTP", tls ? default : Refusal,
            markProbeOnly: connection => connection.Features.Set(ProbeOnlyConnection.Instance));
}
