using System.Net;
using MediaServer.Core.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Kestrel connection middleware, ahead of TLS: a connection past the process's limits is logged,
/// counted (by <see cref="ConnectionLimiter"/>) and closed at accept, after <c>refusal</c> when the
/// protocol has words for it; an admitted one holds its slot until it ends. Waiting for a first
/// request to refuse it would let a refused client hold a socket and its buffers at will.
/// </summary>
public static class ConnectionLimitMiddleware
{
    /// <param name="protocol">How the log names the listener's protocol (RTSP, HTTP).</param>
    /// <param name="refusal">Written to a refused connection before it is closed; empty for none.</param>
    /// <param name="markProbeOnly">
    /// When given, a connection past its address's limit (and within the total) is admitted
    /// probe-only and marked by it; when null, it is refused.
    /// </param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(ConnectionLimiter limiter, ILogger logger, string protocol,
        ReadOnlyMemory<byte> refusal = default, Action<ConnectionContext>? markProbeOnly = null) =>
        next => async connection =>
        {
            IPAddress? client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
            ConnectionAdmission admission = limiter.Admit(client, allowProbeOnly: markProbeOnly is not null, out string refusedBy);
            if (admission == ConnectionAdmission.Refused)
            {
                logger.LogWarning("{Protocol} connection from {Client} refused: limit {Limit} reached (Limits section)", protocol, client, refusedBy);
                if (!refusal.IsEmpty)
                {
                    await connection.Transport.Output.WriteAsync(refusal);
                }

                await connection.Transport.Output.CompleteAsync();
                return;
            }

            if (admission == ConnectionAdmission.ProbeOnly)
            {
                markProbeOnly!(connection);
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
