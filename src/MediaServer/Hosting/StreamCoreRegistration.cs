using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Limits;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;

namespace MediaServer.Hosting;

/// <summary>
/// What every protocol server of the host shares: the streams with their packet pool, isolation
/// guard and metric path labels, the pulled sources, the access policy, and the failure and connection limits. One set
/// per host, so hosts in one process (tests) count and cap separately.
/// </summary>
internal static class StreamCoreRegistration
{
    public static IServiceCollection AddStreamCore(this IServiceCollection services, ServerConfiguration config)
    {
        StreamOptions streams = config.Streams;
        services.AddSingleton(streams);
        services.AddSingleton(new StreamAuthorizer(config.Paths));
        services.AddSingleton(new UserDirectory(config.Auth));
        services.AddSingleton(new JwtVerifier(config.Auth));
        services.AddSingleton(new AuthFailureLimiter(config.Auth.MaxFailuresPerMinute));
        services.AddSingleton(new ConnectionLimiter(config.Limits));
        services.AddSingleton(sp => new IsolationGuard(sp.GetRequiredService<ILoggerFactory>().CreateLogger("MediaServer.Isolation")));
        services.AddSingleton(sp => new MediaPacketPool(streams.PacketPoolSize, sp.GetRequiredService<IsolationGuard>()));
        services.AddSingleton(new PathLabels(config.Metrics.MaxPathLabels));
        services.AddSingleton(sp => new StreamRegistry(
            streams,
            sp.GetRequiredService<MediaPacketPool>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<StreamRegistry>(),
            sp.GetRequiredService<PathLabels>()));
        services.AddSingleton(config.Sources);
        services.AddSingleton(sp =>
        {
            var sources = new SourceDirectory(
                sp.GetRequiredService<StreamRegistry>(),
                sp.GetRequiredService<StreamAuthorizer>(),
                sp.GetServices<ISourceConnector>(),
                config.Sources,
                sp.GetRequiredService<PathLabels>(),
                sp.GetRequiredService<ILoggerFactory>());
            // Readers of a path nobody publishes find its pulled source through the registry.
            sp.GetRequiredService<StreamRegistry>().Activator = sources;
            return sources;
        });
        return services;
    }
}
