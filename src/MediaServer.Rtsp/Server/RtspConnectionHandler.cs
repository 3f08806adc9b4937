using System.Net;
using MediaServer.Core.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Kestrel's entry point for the RTSP listeners (plain and TLS): one <see cref="RtspConnection"/>
/// per TCP connection, within the process's connection limits.
/// </summary>
public sealed class RtspConnectionHandler(RtspServerContext context) : ConnectionHandler
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<RtspConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        IPAddress? client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        bool admitted = context.ConnectionLimiter.TryAcquire(client, out string refusedBy);
        var rtsp = new RtspConnection(connection, context);
        if (!admitted)
        {
            _logger.LogWarning("RTSP connection from {Client} refused: limit {Limit} reached (Limits section)", client, refusedBy);
            rtsp.Refuse($"refused: limit {refusedBy} reached");
        }

        context.Add(rtsp);
        try
        {
            await rtsp.RunAsync();
        }
        finally
        {
            context.Remove(rtsp);
            if (admitted)
            {
                context.ConnectionLimiter.Release(client);
            }
        }
    }
}
