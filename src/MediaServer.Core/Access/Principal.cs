using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Who is asking: an authenticated user or token with its permissions, or nobody. Sessions remember
/// the principal that created them, and only it can use them again (DESIGN.md invariant 5).
/// </summary>
public sealed class Principal
{
    private readonly Permission[] _permissions;

    public Principal(string name, IEnumerable<Permission> permissions, bool isAuthenticated = true)
    {
        Name = name;
        _permissions = [.. permissions];
        IsAuthenticated = isAuthenticated;
    }

    /// <summary>No credentials, with authentication on: allowed nothing.</summary>
    public static Principal Anonymous { get; } = new("anonymous", [], isAuthenticated: false);

    /// <summary>Everyone, when no users are configured: allowed everything, as before authentication existed.</summary>
    public static Principal Everyone { get; } = new(
        "anonymous",
        [new Permission(AccessAction.Publish, null), new Permission(AccessAction.Read, null), new Permission(AccessAction.Kick, null), new Permission(AccessAction.Api, null), new Permission(AccessAction.Metrics, null), new Permission(AccessAction.Config, null)],
        isAuthenticated: false);

    public string Name { get; }

    public bool IsAuthenticated { get; }

    public bool Allows(AccessAction action, StreamId? id = null)
    {
        foreach (Permission permission in _permissions)
        {
            if (permission.Covers(action, id))
            {
                return true;
            }
        }

        return false;
    }
}
