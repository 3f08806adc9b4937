namespace MediaServer.Core.Access;

/// <summary>How a password is stored in configuration; each form allows different logins.</summary>
public enum PasswordForm
{
    /// <summary>The password itself: Basic and Digest (MD5 and SHA-256).</summary>
    Plain,

    /// <summary><c>sha256:BASE64</c>: Basic only.</summary>
    Sha256,

    /// <summary><c>pbkdf2:ITERATIONS:SALT:HASH</c>: Basic only.</summary>
    Pbkdf2,

    /// <summary><c>digest-md5:REALM:HEX</c>, the HA1 of RFC 7616 with MD5: Digest MD5, and Basic.</summary>
    DigestMd5,

    /// <summary><c>digest-sha256:REALM:HEX</c>, the HA1 with SHA-256: Digest SHA-256, and Basic.</summary>
    DigestSha256,
}
