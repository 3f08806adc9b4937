using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Core.Access;

/// <summary>
/// Checks a presented password against the configured one: plain, <c>sha256:BASE64</c> or
/// <c>pbkdf2:ITERATIONS:SALT:HASH</c>; always in constant time, so a timing difference tells an
/// attacker nothing about how much of a guess was right.
/// </summary>
public static class PasswordVerifier
{
    public static bool Verify(string configured, string presented)
    {
        byte[] presentedBytes = Encoding.UTF8.GetBytes(presented);
        if (configured.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return Matches(configured["sha256:".Length..], SHA256.HashData(presentedBytes));
        }

        if (configured.StartsWith("pbkdf2:", StringComparison.Ordinal))
        {
            string[] parts = configured.Split(':');
            if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
            {
                return false;
            }

            byte[] salt;
            try
            {
                salt = Convert.FromBase64String(parts[2]);
            }
            catch (FormatException)
            {
                return false;
            }

            byte[] derived = Rfc2898DeriveBytes.Pbkdf2(presentedBytes, salt, iterations, HashAlgorithmName.SHA256, 32);
            return Matches(parts[3], derived);
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configured), presentedBytes);
    }

    /// <summary>
    /// The configuration form of a password that should not sit in plain in the file:
    /// <c>pbkdf2:ITERATIONS:SALT:HASH</c> (PBKDF2-HMAC-SHA256, 16 random bytes of salt).
    /// </summary>
    public static string Hash(string password, int iterations = 210_000)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2:{iterations}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(derived)}");
    }

    /// <summary>True when the configured password is the password itself, not one of its stored forms.</summary>

    private static bool Matches(string base64, byte[] hash)
    {
        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(base64), hash);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
