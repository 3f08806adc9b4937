using MediaServer.Core.Access;
using MediaServer.Core.Sources;
using Microsoft.Extensions.Primitives;

namespace MediaServer.Configuration;

/// <summary>
/// Applies changes of <c>Paths</c> and <c>Auth</c> in the configuration file while the server runs:
/// new decisions use the new rules, sessions the new rules no longer allow are ended
/// (<see cref="AccessRevoker"/>), every other session goes on. A change that does
/// not validate is refused as a whole and logged; the previous rules stay in force.
/// </summary>
internal sealed class AccessReloader(
    IConfiguration configuration, StreamAuthorizer paths, UserDirectory users, AccessRevoker revoker, SourceDirectory sources, ILogger<AccessReloader> logger)
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
        sources.Reconcile();
        int ended = revoker.RevokeAsync().GetAwaiter().GetResult();
        logger.LogInformation("Configuration reloaded: {Paths} path rules, {Users} users; {Ended} sessions no longer allowed were ended",
            access.Paths.Count, access.Auth.Users.Count, ended);
        Reloaded?.Invoke();
    }
}
