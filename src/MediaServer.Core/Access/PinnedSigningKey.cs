using Microsoft.IdentityModel.Tokens;

namespace MediaServer.Core.Access;

/// <summary>
/// A key that verifies bearer tokens, with the one algorithm it may verify: the shared secret only
/// HS256, an RSA key of the JWKS only RS256, an EC P-256 key only ES256. Pinning the algorithm to
/// the key is what stops algorithm confusion (an HS256 token "signed" with a public key's bytes).
/// </summary>
internal sealed record PinnedSigningKey(SecurityKey Key, string Algorithm)
{
    /// <summary>HS256 needs a key at least as long as its hash (RFC 7518 §3.2); the JWT library refuses shorter ones.</summary>
    public const int MinimumSecretBytes = 32;

    public static PinnedSigningKey FromSecret(byte[] secret) =>
        new(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);

    /// <summary>
    /// The usable keys of a JWKS document (RFC 7517): RSA keys for RS256 and EC P-256 keys for
    /// ES256; a key whose own <c>alg</c> or <c>use</c> says otherwise is left out, as are other types.
    /// </summary>
    public static List<PinnedSigningKey> FromJwks(string json)
    {
        var keys = new List<PinnedSigningKey>();
        foreach (JsonWebKey key in new JsonWebKeySet(json).Keys)
        {
            string? algorithm = key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => SecurityAlgorithms.RsaSha256,
                JsonWebAlgorithmsKeyTypes.EllipticCurve when key.Crv == JsonWebKeyECTypes.P256 => SecurityAlgorithms.EcdsaSha256,
                _ => null,
            };
            if (algorithm is null ||
                (!string.IsNullOrEmpty(key.Alg) && key.Alg != algorithm) ||
                (!string.IsNullOrEmpty(key.Use) && key.Use != JsonWebKeyUseNames.Sig))
            {
                continue;
            }

            keys.Add(new PinnedSigningKey(key, algorithm));
        }

        return keys;
    }
}
