using System.Net;
using MediaServer.Core.Limits;
using Microsoft.AspNetCore.Connections;

namespace MediaServer.Http;

/// <summary>
/// Kestrel connection middleware for the HTTP listeners: a connection past the process's limits
/// gets a bare 503 at accept, without waiting for a request (plain HTTP), or is closed before its
/// TLS handshake (HTTPS), logged and counted. One past its address's limit only, while the total
/// has room, is admitted probe-only (<see cref="ProbeOnlyRequests"/>) within
/// <c>Limits:MaxProbeConnectionsPerAddress</c>.
/// </summary>
internal static class HttpConnectionLimit
{
    private static readonly byte[] Refusal =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n\r\ntoo many connections, sorry\n"u8.ToArray();

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(ConnectionLimiter limiter, ILogger logger, bool tls) =>
        next => async connection =>
        {
            IPAddress? client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
            ConnectionAdmission admission = limiter.Admit(client, allowProbeOnly: true, out string refusedBy);
            if (admission == ConnectionAdmission.Refused)
            {
                logger.LogWarning("HTTP connection from {Client} refused: limit {Limit} reached (Limits section)", client, refusedBy);
                if (!tls)
                {
                    await connection.Transport.Output.WriteAsync(Refusal);
                }

                await connection.Transport.Output.CompleteAsync();
                return;
            }

            if (admission == ConnectionAdmission.ProbeOnly)
            {
                connection.Features.Set(ProbeOnlyConnection.Instance);
            }

            try
            {
                await next(connection);
            }
            finally
            {
                limiter.Release(client, admission);
            }
        };
}
