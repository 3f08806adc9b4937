using System.Net;
using MediaServer.Core.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Kestrel connection middleware for the RTSP listeners, ahead of TLS: a connection past the
/// process's limits is logged, counted and closed at accept. RTSP has no message a server may
/// send unasked, and waiting for a first request to answer 503 would let a refused client hold
/// a socket and its buffers for as long as it likes.
/// </summary>
public static class RtspConnectionLimit
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(ConnectionLimiter limiter, ILogger logger) =>
        next => async connection =>
        {
            IPAddress? client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
            if (!limiter.TryAcquire(client, out string refusedBy))
            {
                logger.LogWarning("RTSP connection from {Client} refused: limit {Limit} reached (Limits section)", client, refusedBy);
                await connection.Transport.Output.CompleteAsync();
                return;
            }

            try
            {
                await next(connection);
            }
            finally
            {
                limiter.Release(client);
            }
        };
}
