using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Access;

/// <summary>
/// The configured users and their permissions, compiled once; the one place that turns a user
/// name and password into a <see cref="Principal"/>.
/// </summary>
public sealed class UserDirectory
{
    private readonly Dictionary<string, (UserOptions Options, Principal Principal)> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _lastVerified = new(StringComparer.Ordinal);

    public UserDirectory(AuthOptions options)
    {
        Options = options;
        foreach (UserOptions user in options.Users)
        {
            if (string.IsNullOrEmpty(user.Name) || _users.ContainsKey(user.Name))
            {
                throw new ArgumentException($"Auth:Users: user names must be unique and not empty ('{user.Name}').");
            }

            var permissions = new List<Permission>();
            foreach (PermissionOptions permission in user.Permissions)
            {
                if (!Permission.TryCreate(permission, out Permission? compiled, out string? error))
                {
                    throw new ArgumentException($"Auth:Users '{user.Name}': {error}.");
                }

                permissions.Add(compiled!);
            }

            _users[user.Name] = (user, new Principal(user.Name, permissions));
        }
    }

    public AuthOptions Options { get; }

    public bool IsEnabled => Options.IsEnabled;

    public string Realm => Options.Realm;

    /// <summary>The principal of a request that brought no credentials.</summary>
    public Principal Unauthenticated => IsEnabled ? Principal.Anonymous : Principal.Everyone;

    public bool TryBasic(string name, string password, out Principal principal)
    {
        principal = Principal.Anonymous;
        if (!_users.TryGetValue(name, out (UserOptions Options, Principal Principal) user))
        {
            return false;
        }

        // A PBKDF2 check costs tens of milliseconds by design; a browser sends Basic with every
        // request, so the last password that passed is remembered (as its SHA-256) per user.
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        bool known = _lastVerified.TryGetValue(name, out byte[]? last) && CryptographicOperations.FixedTimeEquals(last, presented);
        if (!known && !PasswordVerifier.Verify(user.Options.Password, password))
        {
            return false;
        }

        _lastVerified[name] = presented;
        principal = user.Principal;
        return true;
    }

    /// <summary>For Digest: the user's password itself, when it is configured in plain.</summary>
    public bool TryGetPlainPassword(string name, out string password, out Principal principal)
    {
        password = string.Empty;
        principal = Principal.Anonymous;
        if (!_users.TryGetValue(name, out (UserOptions Options, Principal Principal) user) || !PasswordVerifier.IsPlain(user.Options.Password))
        {
            return false;
        }

        password = user.Options.Password;
        principal = user.Principal;
        return true;
    }

    /// <summary>Says loudly when the server is open to everyone.</summary>
    public void LogStartup(ILogger logger)
    {
        if (!IsEnabled)
        {
            logger.LogWarning(
                "AUTHENTICATION IS OFF: no users and no JWT key are configured (Auth:Users, Auth:JwtSecret, Auth:JwksPath), " +
                "so ANYONE who can reach this server may publish and read every path, use the API and read metrics.");
            return;
        }

        logger.LogInformation("Authentication on: {Users} users, JWT {Jwt}", _users.Count, Options.JwtSecret.Length > 0 || Options.JwksPath.Length > 0 ? "on" : "off");
    }
}
