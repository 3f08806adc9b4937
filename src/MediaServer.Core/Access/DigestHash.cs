using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Core.Access;

/// <summary>
/// H() of RFC 7616 for MD5 and SHA-256: lowercase hex of the hash of UTF-8 text. HA1 is
/// H(user:realm:password), what a Digest response is built on and what htdigest files store.
/// </summary>
public static class DigestHash
{
    public static string Ha1(DigestAlgorithm algorithm, string user, string realm, string password) =>
        Of(algorithm, $"{user}:{realm}:{password}");

    public static string Of(DigestAlgorithm algorithm, string text) => algorithm switch
    {
#pragma warning disable CA5351 // Digest MD5 is what RTSP cameras and players speak (RFC 7616 keeps it for compatibility).
        DigestAlgorithm.Md5 => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text))),
#pragma warning restore CA5351
        _ => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
    };

    /// <summary>Hex digits in an HA1 of the algorithm.</summary>
    public static int HexLength(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Md5 ? 32 : 64;
}
