using MediaServer.Core.Access;
using Microsoft.Extensions.Primitives;

namespace MediaServer.Configuration;

/// <summary>
/// Applies changes of <c>Paths</c> and <c>Auth</c> in the configuration file while the server runs:
/// new decisions use the new rules, sessions already set up are not touched. A change that does
/// not validate is refused as a whole and logged; the previous rules stay in force.
/// </summary>
internal sealed class AccessReloader(IConfiguration configuration, StreamAuthorizer paths, UserDirectory users, ILogger<AccessReloader> logger)
{
    private IDisposable? _subscription;

    /// <summary>Raised after a reload was applied (tests wait on it).</summary>
    public event Action? Reloaded;

    /// <summary>Raised when a changed file did not validate and was not applied.</summary>
    public event Action? Refused;

    public void Start() => _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Apply);

    public void Stop() => _subscription?.Dispose();

    private void Apply()
    {
        ServerConfiguration access;
        try
        {
            access = ServerConfiguration.LoadAccessOnly(configuration);
        }
        catch (ConfigurationException e)
        {
            logger.LogError("Configuration change refused, the previous paths and users stay in force: {Errors}", string.Join("; ", e.Errors));
            Refused?.Invoke();
            return;
        }

        paths.Replace(access.Paths);
        users.Replace(access.Auth);
        logger.LogInformation("Configuration reloaded: {Paths} path rules, {Users} users", access.Paths.Count, access.Auth.Users.Count);
        Reloaded?.Invoke();
    }
}
