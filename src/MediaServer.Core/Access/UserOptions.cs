namespace MediaServer.Core.Access;

/// <summary>
/// A user in configuration (<c>Auth:Users:N</c>). <see cref="Password"/> is the password itself or
/// one stored form of it; <see cref="Passwords"/> holds further forms of the same password, so one
/// user can have, say, a PBKDF2 hash for Basic and the HA1s that Digest needs. The forms:
/// the password itself (Basic and Digest), <c>sha256:BASE64</c> and
/// <c>pbkdf2:ITERATIONS:SALT_BASE64:HASH_BASE64</c> (PBKDF2-HMAC-SHA256; Basic only, since Digest
/// cannot be checked against them), <c>digest-md5:REALM:HEX</c> and <c>digest-sha256:REALM:HEX</c>
/// (the HA1 of RFC 7616, H(user:realm:password); Digest with that algorithm, and Basic).
/// </summary>
public sealed class UserOptions
{
    public string Name { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public List<string> Passwords { get; set; } = [];

    public List<PermissionOptions> Permissions { get; set; } = [];
}
