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
    private Snapshot _current;

    public UserDirectory(AuthOptions options) => _current = Compile(options);

    public AuthOptions Options => Volatile.Read(ref _current).Options;

    public bool IsEnabled => Options.IsEnabled;

    public string Realm => Options.Realm;

    /// <summary>The users of a reloaded configuration, in one swap; connections already authenticated keep their principal.</summary>
    public void Replace(AuthOptions options) => Volatile.Write(ref _current, Compile(options));

    private static Snapshot Compile(AuthOptions options)
    {
        var users = new Dictionary<string, User>(StringComparer.Ordinal);
        for (int index = 0; index < options.Users.Count; index++)
        {
            UserOptions user = options.Users[index];
            if (string.IsNullOrEmpty(user.Name) || users.ContainsKey(user.Name))
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

            users[user.Name] = new User(user, new Principal(user.Name, permissions), UserCredentials.Compile(user, index, options.Realm));
        }

        return new Snapshot(options, users);
    }

    /// <summary>The users as configured now (with their passwords: never hand these out as they are).</summary>
    public IReadOnlyList<UserOptions> Users => [.. Volatile.Read(ref _current).Users.Values.Select(u => u.Options)];

    /// <summary>The principal of a request that brought no credentials.</summary>
    public Principal Unauthenticated => IsEnabled ? Principal.Anonymous : Principal.Everyone;

    public bool TryBasic(string name, string password, out Principal principal)
    {
        principal = Principal.Anonymous;
        Snapshot current = Volatile.Read(ref _current);
        if (!current.Users.TryGetValue(name, out User? user))
        {
            return false;
        }

        // A PBKDF2 check costs tens of milliseconds by design; a browser sends Basic with every
        // request, so the last password that passed is remembered (as its SHA-256) per user.
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (!IsRemembered(current, name, presented) && !user.Credentials.VerifyBasic(password))
        {
            return false;
        }

        current.LastVerified[name] = presented;
        principal = user.Principal;
        return true;
    }

    /// <summary>
    /// Basic credentials checked only against the password last verified for the user, in constant
    /// time and without running the configured hash: what a client address that is blocked for
    /// failed logins may still use, since it proves a password that was already accepted.
    /// </summary>
    public bool TryBasicRemembered(string name, string password, out Principal principal)
    {
        principal = Principal.Anonymous;
        Snapshot current = Volatile.Read(ref _current);
        if (!current.Users.TryGetValue(name, out User? user) ||
            !IsRemembered(current, name, SHA256.HashData(Encoding.UTF8.GetBytes(password))))
        {
            return false;
        }

        principal = user.Principal;
        return true;
    }

    private static bool IsRemembered(Snapshot current, string name, byte[] presented) =>
        current.LastVerified.TryGetValue(name, out byte[]? last) && CryptographicOperations.FixedTimeEquals(last, presented);

    /// <summary>The principal of a configured user by name (to re-check a running session after a change).</summary>
    public bool TryGetPrincipal(string name, out Principal principal)
    {
        bool found = Volatile.Read(ref _current).Users.TryGetValue(name, out User? user);
        principal = user?.Principal ?? Principal.Anonymous;
        return found;
    }

    /// <summary>True when some user can answer a Digest challenge of the algorithm (a plain password, or its HA1).</summary>
    public bool CanAnswerDigest(DigestAlgorithm algorithm) =>
        algorithm == DigestAlgorithm.Md5 ? Volatile.Read(ref _current).AnswersMd5 : Volatile.Read(ref _current).AnswersSha256;

    /// <summary>For Digest: the user's HA1 of the algorithm, stored or made from a plain password; no password needed.</summary>
    public bool TryGetHa1(string name, DigestAlgorithm algorithm, out string ha1, out Principal principal)
    {
        ha1 = string.Empty;
        principal = Principal.Anonymous;
        if (!Volatile.Read(ref _current).Users.TryGetValue(name, out User? user) || user.Credentials.GetHa1(algorithm) is not { } stored)
        {
            return false;
        }

        ha1 = stored;
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

        logger.LogInformation("Authentication on: {Users} users, JWT {Jwt}", Volatile.Read(ref _current).Users.Count, Options.JwtSecret.Length > 0 || Options.JwksPath.Length > 0 ? "on" : "off");
        LogRtspReach(logger);
    }

    /// <summary>
    /// Names the users that common RTSP clients cannot log in as: ffmpeg and GStreamer answer any
    /// Digest challenge with MD5 and never fall back to Basic, and without Digest they need Basic.
    /// </summary>
    private void LogRtspReach(ILogger logger)
    {
        Snapshot current = Volatile.Read(ref _current);
        string[] withoutMd5 = [.. current.Users.Values.Where(u => !u.Credentials.CanAnswerDigest(DigestAlgorithm.Md5)).Select(u => u.Options.Name)];
        if (withoutMd5.Length == 0)
        {
            return;
        }

        string names = string.Join(", ", withoutMd5.Take(10)) + (withoutMd5.Length > 10 ? $" and {withoutMd5.Length - 10} more" : string.Empty);
        if (current.AnswersMd5 || current.AnswersSha256)
        {
            logger.LogWarning(
                "Users without a Digest MD5 form (a plain password or digest-md5:REALM:HEX) cannot log in over RTSP from ffmpeg or GStreamer, " +
                "which answer the Digest challenge with MD5 and never fall back to Basic: {Users}. Add one made with: MediaServer hash-password --user NAME", names);
        }
        else if (Options.RtspBasic != RtspBasicPolicy.Always)
        {
            logger.LogWarning(
                "No user can answer Digest and Auth:RtspBasic is {Policy}, so {Users} cannot log in over {Where}. Add digest-md5 forms made with: MediaServer hash-password --user NAME",
                Options.RtspBasic, names, Options.RtspBasic == RtspBasicPolicy.Tls ? "plain RTSP" : "RTSP");
        }
    }

    /// <summary>One configuration's users; the cache of verified passwords goes with it, so a changed password takes effect.</summary>
    private sealed record User(UserOptions Options, Principal Principal, UserCredentials Credentials);

    private sealed record Snapshot(AuthOptions Options, Dictionary<string, User> Users)
    {
        public ConcurrentDictionary<string, byte[]> LastVerified { get; } = new(StringComparer.Ordinal);

        public bool AnswersMd5 { get; } = Users.Values.Any(u => u.Credentials.CanAnswerDigest(DigestAlgorithm.Md5));

        public bool AnswersSha256 { get; } = Users.Values.Any(u => u.Credentials.CanAnswerDigest(DigestAlgorithm.Sha256));
    }
}
