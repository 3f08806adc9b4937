using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Core.Access;

/// <summary>
/// One configured form of a user's password, parsed once. The Digest forms are the HA1 of RFC 7616
/// and carry the realm they were made for (<c>digest-md5:REALM:HEX</c>, like a line of an htdigest
/// file): an HA1 made for another realm can never match, and a bare hex value would not tell the
/// server so; with the realm in the value, a mismatch is a configuration error instead of logins
/// that fail for no visible reason.
/// </summary>
public sealed class StoredPassword
{
    public const string DigestMd5Prefix = "digest-md5:";
    public const string DigestSha256Prefix = "digest-sha256:";

    private readonly string _configured;
    private readonly byte[] _ha1;

    private StoredPassword(PasswordForm form, string configured, string realm, string ha1)
    {
        Form = form;
        _configured = configured;
        Realm = realm;
        Ha1 = ha1;
        _ha1 = Encoding.ASCII.GetBytes(ha1);
    }

    public PasswordForm Form { get; }

    /// <summary>The realm a Digest form was made for; empty for the other forms.</summary>
    public string Realm { get; }

    /// <summary>The HA1 as lowercase hex, for a Digest form; empty for the other forms.</summary>
    public string Ha1 { get; }

    /// <summary>The Digest algorithm this form's HA1 is of, if it is a Digest form.</summary>
    public DigestAlgorithm? DigestAlgorithm => Form switch
    {
        PasswordForm.DigestMd5 => Access.DigestAlgorithm.Md5,
        PasswordForm.DigestSha256 => Access.DigestAlgorithm.Sha256,
        _ => null,
    };

    /// <summary>The name of a form as configuration and the API write it.</summary>
    public static string Name(PasswordForm form) => form switch
    {
        PasswordForm.Plain => "plain",
        PasswordForm.Sha256 => "sha256",
        PasswordForm.Pbkdf2 => "pbkdf2",
        PasswordForm.DigestMd5 => "digest-md5",
        _ => "digest-sha256",
    };

    /// <summary>The configuration value of an HA1 form: <c>digest-md5:REALM:HEX</c> or <c>digest-sha256:REALM:HEX</c>.</summary>
    public static string FormatDigest(DigestAlgorithm algorithm, string user, string realm, string password) =>
        (algorithm == Access.DigestAlgorithm.Md5 ? DigestMd5Prefix : DigestSha256Prefix) + realm + ":" + DigestHash.Ha1(algorithm, user, realm, password);

    /// <summary>Reads a configured value; an error says what a malformed Digest form should look like.</summary>
    public static StoredPassword Parse(string configured, out string? error)
    {
        error = null;
        foreach ((string prefix, Access.DigestAlgorithm algorithm, PasswordForm form) in DigestForms)
        {
            if (!configured.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            // The realm may hold ':' (it is free text); the HA1 never does.
            string rest = configured[prefix.Length..];
            int colon = rest.LastIndexOf(':');
            string ha1 = colon < 0 ? string.Empty : rest[(colon + 1)..];
            if (colon < 0 || ha1.Length != DigestHash.HexLength(algorithm) || !ha1.All(char.IsAsciiHexDigit))
            {
                error = $"a {Name(form)} form is {prefix}REALM:{DigestHash.HexLength(algorithm)} hex digits (as MediaServer hash-password prints it)";
            }

            return new StoredPassword(form, configured, colon < 0 ? string.Empty : rest[..colon], ha1.ToLowerInvariant());
        }

        PasswordForm other = configured.StartsWith("pbkdf2:", StringComparison.Ordinal) ? PasswordForm.Pbkdf2
            : configured.StartsWith("sha256:", StringComparison.Ordinal) ? PasswordForm.Sha256
            : PasswordForm.Plain;
        return new StoredPassword(other, configured, string.Empty, string.Empty);
    }

    private static readonly (string Prefix, DigestAlgorithm Algorithm, PasswordForm Form)[] DigestForms =
    [
        (DigestMd5Prefix, Access.DigestAlgorithm.Md5, PasswordForm.DigestMd5),
        (DigestSha256Prefix, Access.DigestAlgorithm.Sha256, PasswordForm.DigestSha256),
    ];

    /// <summary>
    /// Checks a password presented in plain (Basic) in constant time: against the configured
    /// password or hash, or, for a Digest form, by computing the HA1 it would give.
    /// </summary>
    public bool Verify(string user, string presented) => DigestAlgorithm is { } algorithm
        ? CryptographicOperations.FixedTimeEquals(_ha1, Encoding.ASCII.GetBytes(DigestHash.Ha1(algorithm, user, Realm, presented)))
        : PasswordVerifier.Verify(_configured, presented);

    /// <summary>The password itself, for a plain form (to derive the Digest HA1s from it).</summary>
    public bool TryGetPlain(out string password)
    {
        password = Form == PasswordForm.Plain ? _configured : string.Empty;
        return Form == PasswordForm.Plain;
    }
}
