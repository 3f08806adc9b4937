using MediaServer.Api;
using MediaServer.Configuration;
using MediaServer.Hooks;
using MediaServer.Lifecycle;
using MediaServer.WebRtc;
using MediaServer.Rtsp.Server;

namespace MediaServer.Hosting;

/// <summary>What operators run the server with: lifecycle and drain, access reload, hooks, and the REST API's services.</summary>
internal static class OperationsRegistration
{
    public static IServiceCollection AddOperations(this IServiceCollection services, ServerConfiguration config)
    {
        services.AddSingleton(config.Shutdown);
        services.AddSingleton<ServerState>();
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<AccessReloader>();
        services.AddSingleton<AccessRevoker>();
        services.AddSingleton(config.Hooks);
        services.AddHostedService<HookRunner>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.Shutdown.GracePeriodSeconds));
        return services;
    }

    /// <summary>The sessions and rates the REST API shows (<see cref="ApiEndpoints"/>).</summary>
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SessionDirectory(sp.GetRequiredService<RtspServerContext>(), sp.GetService<WebRtcServer>()));
        services.AddSingleton<RateSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<RateSampler>());
        return services;
    }
}
