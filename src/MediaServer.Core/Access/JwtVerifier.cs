using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MediaServer.Core.Access;

/// <summary>
/// Verifies bearer tokens (RFC 7519 JWT, compact JWS): HS256 with the configured shared secret, or
/// RS256 / ES256 with a key from the configured JWKS file (RFC 7517), chosen by <c>kid</c> when the
/// token names one. <c>exp</c> and <c>nbf</c> are enforced; <c>alg: none</c> and algorithms the key
/// does not match are refused. The token's permissions come from one claim, e.g.
/// <c>"mediaserver_permissions": [{"action": "read", "path": "cam1"}]</c>.
/// </summary>
public sealed class JwtVerifier
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly byte[]? _secret;
    private readonly List<JsonWebKey> _keys = [];
    private readonly string _permissionsClaim;

    public JwtVerifier(AuthOptions options)
    {
        _permissionsClaim = options.JwtPermissionsClaim;
        if (options.JwtSecret.Length > 0)
        {
            _secret = Encoding.UTF8.GetBytes(options.JwtSecret);
        }

        if (options.JwksPath.Length > 0)
        {
            _keys.AddRange(JsonWebKey.ReadSet(File.ReadAllText(options.JwksPath)));
        }
    }

    public bool IsEnabled => _secret is not null || _keys.Count > 0;

    public bool TryVerify(string token, DateTimeOffset now, out Principal principal, out string error)
    {
        principal = Principal.Anonymous;
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = "not a compact JWS";
            return false;
        }

        try
        {
            using JsonDocument header = JsonDocument.Parse(Base64Url.Decode(parts[0]));
            string alg = header.RootElement.TryGetProperty("alg", out JsonElement a) ? a.GetString() ?? "" : "";
            string? kid = header.RootElement.TryGetProperty("kid", out JsonElement k) ? k.GetString() : null;
            byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            byte[] signature = Base64Url.Decode(parts[2]);
            if (!VerifySignature(alg, kid, signed, signature))
            {
                error = $"bad signature or unsupported alg '{alg}'";
                return false;
            }

            using JsonDocument payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
            JsonElement claims = payload.RootElement;
            if (claims.TryGetProperty("exp", out JsonElement exp) && exp.TryGetInt64(out long expires) &&
                DateTimeOffset.FromUnixTimeSeconds(expires) + ClockSkew < now)
            {
                error = "expired";
                return false;
            }

            if (claims.TryGetProperty("nbf", out JsonElement nbf) && nbf.TryGetInt64(out long notBefore) &&
                DateTimeOffset.FromUnixTimeSeconds(notBefore) - ClockSkew > now)
            {
                error = "not yet valid";
                return false;
            }

            var permissions = new List<Permission>();
            if (claims.TryGetProperty(_permissionsClaim, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement entry in list.EnumerateArray())
                {
                    var options = new PermissionOptions
                    {
                        Action = entry.TryGetProperty("action", out JsonElement action) ? action.GetString() ?? "" : "",
                        Path = entry.TryGetProperty("path", out JsonElement path) ? path.GetString() : null,
                    };
                    if (Permission.TryCreate(options, out Permission? permission, out _))
                    {
                        permissions.Add(permission!);
                    }
                }
            }

            string name = claims.TryGetProperty("sub", out JsonElement sub) ? sub.GetString() ?? "token" : "token";
            principal = new Principal("jwt:" + name, permissions);
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptographicException or InvalidOperationException)
        {
            error = "malformed token";
            return false;
        }
    }

    private bool VerifySignature(string alg, string? kid, byte[] signed, byte[] signature)
    {
        if (alg == "HS256")
        {
            return _secret is not null && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_secret, signed), signature);
        }

        foreach (JsonWebKey key in _keys)
        {
            if ((kid is null || key.Id == kid) && key.Verify(alg, signed, signature))
            {
                return true;
            }
        }

        return false;
    }
}
