using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace MediaServer.Core.Tests.Access;

/// <summary>Makes compact JWS tokens the way an identity provider would, for the verifier's tests.</summary>
internal static class TestTokens
{
    public static string Claims(string subject, long? expires = null, long? notBefore = null, params (string Action, string? Path)[] permissions)
    {
        var claims = new Dictionary<string, object?> { ["sub"] = subject };
        if (expires is not null)
        {
            claims["exp"] = expires;
        }

        if (notBefore is not null)
        {
            claims["nbf"] = notBefore;
        }

        claims["mediaserver_permissions"] = permissions.Select(p => new Dictionary<string, string?> { ["action"] = p.Action, ["path"] = p.Path }).ToArray();
        return JsonSerializer.Serialize(claims);
    }

    public static string Hs256(string secret, string claims, string? kid = null) =>
        Sign(Header("HS256", kid), claims, data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));

    public static string Rs256(RSA key, string claims, string? kid = null) =>
        Sign(Header("RS256", kid), claims, data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Rs384(RSA key, string claims, string? kid = null) =>
        Sign(Header("RS384", kid), claims, data => key.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1));

    public static string Es256(ECDsa key, string claims, string? kid = null) =>
        Sign(Header("ES256", kid), claims, data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static string Unsigned(string claims) =>
        Encode(Header("none", null)) + "." + Encode(claims) + ".";

    public static string Jwks(params (string Kid, AsymmetricAlgorithm Key)[] keys)
    {
        var entries = new List<Dictionary<string, string>>();
        foreach ((string kid, AsymmetricAlgorithm key) in keys)
        {
            if (key is RSA rsa)
            {
                RSAParameters p = rsa.ExportParameters(false);
                entries.Add(new() { ["kty"] = "RSA", ["kid"] = kid, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) });
            }
            else if (key is ECDsa ec)
            {
                ECParameters p = ec.ExportParameters(false);
                entries.Add(new() { ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = kid, ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y) });
            }
        }

        return JsonSerializer.Serialize(new { keys = entries });
    }

    private static string Header(string alg, string? kid) =>
        kid is null ? JsonSerializer.Serialize(new { alg, typ = "JWT" }) : JsonSerializer.Serialize(new { alg, typ = "JWT", kid });

    private static string Sign(string header, string claims, Func<byte[], byte[]> sign)
    {
        string signingInput = Encode(header) + "." + Encode(claims);
        return signingInput + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
