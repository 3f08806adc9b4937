namespace MediaServer.Core.Access;

/// <summary>
/// A user in configuration (<c>Auth:Users:N</c>). <see cref="Password"/> is the password itself,
/// or a hash of it: <c>sha256:BASE64</c> or <c>pbkdf2:ITERATIONS:SALT_BASE64:HASH_BASE64</c>
/// (PBKDF2-HMAC-SHA256). A hashed password works with Basic authentication only, since HTTP
/// Digest needs the password itself (RFC 7616); cameras that insist on Digest need a plain one.
/// </summary>
public sealed class UserOptions
{
    public string Name { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public List<PermissionOptions> Permissions { get; set; } = [];
}
