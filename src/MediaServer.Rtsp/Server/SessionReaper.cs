using Microsoft.Extensions.Hosting;

namespace MediaServer.Rtsp.Server;

/// <summary>Closes connections whose sessions have been silent longer than the session timeout.</summary>
public sealed class SessionReaper(RtspServerContext context) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long timeout = context.Options.SessionTimeoutSeconds * 1000L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long now = Environment.TickCount64;
                foreach (RtspConnection connection in context.Connections)
                {
                    connection.CloseExpiredSessions(now, timeout);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
