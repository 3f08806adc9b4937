using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Who is asking: an authenticated user or token with its permissions, or nobody. Sessions remember
/// the principal that created them, and only the same owner can use them again (DESIGN.md
/// invariant 5). <see cref="Name"/> is what people read; <see cref="OwnerKey"/> is what ownership
/// compares, and is never shared by two different identities.
/// </summary>
public sealed class Principal
{
    private readonly Permission[] _permissions;

    /// <summary>A configured user.</summary>
    public Principal(string name, IEnumerable<Permission> permissions)
        : this(name, "user:" + name, PrincipalKind.User, permissions)
    {
    }

    private Principal(string name, string ownerKey, PrincipalKind kind, IEnumerable<Permission> permissions)
    {
        Name = name;
        OwnerKey = ownerKey;
        Kind = kind;
        _permissions = [.. permissions];
    }

    /// <summary>No credentials, with authentication on: allowed nothing.</summary>
    public static Principal Anonymous { get; } = new("anonymous", "anonymous", PrincipalKind.Anonymous, []);

    /// <summary>Everyone, when no users are configured: allowed everything.</summary>
    public static Principal Everyone { get; } = new(
        "anonymous",
        "anonymous",
        PrincipalKind.Anonymous,
        [new Permission(AccessAction.Publish, null), new Permission(AccessAction.Read, null), new Permission(AccessAction.Kick, null), new Permission(AccessAction.Api, null), new Permission(AccessAction.Metrics, null), new Permission(AccessAction.Config, null)]);

    /// <summary>The display name: the user name, <c>jwt:SUBJECT</c> for a token (<c>jwt:token</c> without one), or <c>anonymous</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The identity sessions are owned by: <c>user:NAME</c>; for a token its issuer and subject,
    /// or, for a token without a subject, a hash of its signature (each such token owns only
    /// its own sessions); <c>anonymous</c> for nobody.
    /// </summary>
    public string OwnerKey { get; }

    public PrincipalKind Kind { get; }

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    /// <summary>The principal of a verified bearer token.</summary>
    public static Principal ForToken(string? subject, string? issuer, string encodedSignature, IEnumerable<Permission> permissions)
    {
        // An empty subject names nobody, as a missing one: such a token is its own identity too.
        if (string.IsNullOrEmpty(subject))
        {
            subject = null;
        }

        // The issuer's length goes first so that no (issuer, subject) pair reads as another.
        string ownerKey = subject is null
            ? "jwt-signature:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(encodedSignature)))
            : string.Create(CultureInfo.InvariantCulture, $"jwt:{issuer?.Length ?? -1}:{issuer}|{subject}");
        return new Principal("jwt:" + (subject ?? "token"), ownerKey, PrincipalKind.Token, permissions);
    }

    /// <summary>True when <paramref name="other"/> is the same owner (the same user, token subject, or nobody).</summary>
    public bool IsSameOwner(Principal other) => string.Equals(OwnerKey, other.OwnerKey, StringComparison.Ordinal);

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
