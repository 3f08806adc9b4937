using System.Security.Cryptography;
using System.Text.Json;

namespace MediaServer.Core.Access;

/// <summary>One public key of a JWKS file (RFC 7517, RFC 7518 §6): RSA for RS256, EC P-256 for ES256.</summary>
internal sealed class JsonWebKey
{
    private readonly RSAParameters? _rsa;
    private readonly ECParameters? _ec;

    private JsonWebKey(string? id, RSAParameters? rsa, ECParameters? ec)
    {
        Id = id;
        _rsa = rsa;
        _ec = ec;
    }

    public string? Id { get; }

    public static IEnumerable<JsonWebKey> ReadSet(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var keys = new List<JsonWebKey>();
        foreach (JsonElement key in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            string? kid = key.TryGetProperty("kid", out JsonElement k) ? k.GetString() : null;
            string kty = key.GetProperty("kty").GetString() ?? "";
            if (kty == "RSA")
            {
                keys.Add(new JsonWebKey(kid, new RSAParameters
                {
                    Modulus = Base64Url.Decode(key.GetProperty("n").GetString()!),
                    Exponent = Base64Url.Decode(key.GetProperty("e").GetString()!),
                }, null));
            }
            else if (kty == "EC" && key.GetProperty("crv").GetString() == "P-256")
            {
                keys.Add(new JsonWebKey(kid, null, new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint
                    {
                        X = Base64Url.Decode(key.GetProperty("x").GetString()!),
                        Y = Base64Url.Decode(key.GetProperty("y").GetString()!),
                    },
                }));
            }
        }

        return keys;
    }

    public bool Verify(string alg, byte[] signed, byte[] signature)
    {
        if (alg == "RS256" && _rsa is { } rsaParameters)
        {
            using RSA rsa = RSA.Create(rsaParameters);
            return rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        if (alg == "ES256" && _ec is { } ecParameters)
        {
            using ECDsa ecdsa = ECDsa.Create(ecParameters);
            return ecdsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return false;
    }
}
