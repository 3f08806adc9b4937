using MediaServer.WebRtc.Dtls;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.WebRtc;

/// <summary>
/// How a host takes the WebRTC server in: its UDP socket, DTLS certificate, sessions and their
/// reaper. The WHEP endpoints that create sessions are the host's HTTP layer's
/// (<c>MediaServer.Http.WhepEndpoints</c>). Nothing is registered when WebRTC is disabled.
/// </summary>
public static class WebRtcServerRegistration
{
    public static IServiceCollection AddWebRtcServer(this IServiceCollection services, WebRtcOptions options)
    {
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton<WebRtcUdpTransport>();
        services.AddSingleton(_ => DtlsCertificate.FromOptions(options, DateTimeOffset.UtcNow));
        services.AddSingleton<WebRtcServer>();
        services.AddHostedService<WebRtcSessionReaper>();
        return services;
    }
}
