using Microsoft.AspNetCore.Connections;

namespace MediaServer.Rtsp.Server;

/// <summary>Kestrel's entry point for the RTSP listener: one <see cref="RtspConnection"/> per TCP connection.</summary>
public sealed class RtspConnectionHandler(RtspServerContext context) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
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
