using Microsoft.AspNetCore.Connections;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Kestrel's entry point for the RTSP listeners (plain and TLS): one <see cref="RtspConnection"/>
/// per TCP connection; the listener's <see cref="ConnectionLimitMiddleware"/> has admitted it.
/// </summary>
public sealed class RtspConnectionHandler(RtspServerContext context) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (context.IsStopping)
        {
            // The server drains: nothing new starts, so the drain can end.
            return;
        }

        var rtsp = new RtspConnection(connection, context);
        context.Add(rtsp);
        try
        {
            await rtsp.RunAsync();
        }
        finally
        {
            context.Remove(rtsp);
        }
    }
}
