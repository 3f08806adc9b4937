using Microsoft.Extensions.Hosting;

namespace MediaServer.WebRtc;

/// <summary>
/// Frees sessions whose browser is gone: no connectivity check or packet within the consent
/// timeout (RFC 7675 consent freshness), or no DTLS within the handshake timeout after the answer.
/// </summary>
public sealed class WebRtcSessionReaper(WebRtcServer server, WebRtcOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            long now = Environment.TickCount64;
            foreach (WebRtcSession session in server.Sessions.All)
            {
                if (session.State == WebRtcSessionState.Connected)
                {
                    if (now - session.LastConsentTick > options.ConsentTimeoutSeconds * 1000L)
                    {
                        _ = session.CloseAsync("consent expired: the browser went silent");
                    }
                }
                else if (DateTimeOffset.UtcNow - session.CreatedAt > TimeSpan.FromSeconds(options.HandshakeTimeoutSeconds))
                {
                    _ = session.CloseAsync("ICE and DTLS did not complete in time");
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(server.Sessions.All.Select(s => s.CloseAsync("server stopping")));
    }
}
