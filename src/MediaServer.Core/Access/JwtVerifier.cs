using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MediaServer.Core.Access;

/// <summary>
/// Verifies bearer tokens (RFC 7519 JWT, compact JWS) with Microsoft.IdentityModel's
/// <see cref="JsonWebTokenHandler"/>: HS256 with the configured shared secret, or RS256 / ES256
/// with a key from the configured JWKS file. A token that names a <c>kid</c> is checked against
/// that key only; each key verifies only its own algorithm. <c>exp</c> and <c>nbf</c> are
/// NumericDates (fractions allowed) checked with <see cref="ClockSkewSeconds"/> of tolerance.
/// What this class adds is the mapping of one claim to permissions, e.g.
/// <c>"mediaserver_permissions": [{"action": "read", "path": "cam1"}]</c>, and the token's owner.
/// </summary>
public sealed class JwtVerifier
{
    /// <summary>How far the issuer's clock and ours may disagree when <c>exp</c> and <c>nbf</c> are checked.</summary>
    public const int ClockSkewSeconds = 30;

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(ClockSkewSeconds);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly PinnedSigningKey? _secret;
    private readonly List<PinnedSigningKey> _keys = [];
    private readonly string _permissionsClaim;

    public JwtVerifier(AuthOptions options)
    {
        _permissionsClaim = options.JwtPermissionsClaim;
        if (options.JwtSecret.Length > 0)
        {
            if (SecretProblem(options.JwtSecret) is { } problem)
            {
                throw new ArgumentException(problem, nameof(options));
            }

            _secret = PinnedSigningKey.FromSecret(Encoding.UTF8.GetBytes(options.JwtSecret));
        }

        if (options.JwksPath.Length > 0)
        {
            _keys.AddRange(PinnedSigningKey.FromJwks(File.ReadAllText(options.JwksPath)));
            if (_keys.Count == 0)
            {
                throw new ArgumentException($"'{options.JwksPath}' holds no RS256 (RSA) or ES256 (EC P-256) signing key", nameof(options));
            }
        }
    }

    public bool IsEnabled => _secret is not null || _keys.Count > 0;

    /// <summary>Why a shared secret cannot be used for HS256, or null when it can.</summary>
    public static string? SecretProblem(string secret)
    {
        int bytes = Encoding.UTF8.GetByteCount(secret);
        return bytes < PinnedSigningKey.MinimumSecretBytes
            ? $"must be at least {PinnedSigningKey.MinimumSecretBytes} bytes (256 bits) for HS256, got {bytes}"
            : null;
    }

    public bool TryVerify(string token, DateTimeOffset now, out Principal principal, out string error)
    {
        principal = Principal.Anonymous;
        if (!IsEnabled || !_handler.CanReadToken(token))
        {
            error = "malformed token";
            return false;
        }

        TokenValidationResult result;
        try
        {
            // Without a configuration manager the handler does no I/O and completes synchronously.
            result = _handler.ValidateTokenAsync(token, Parameters(now)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or SecurityTokenException)
        {
            error = "malformed token";
            return false;
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            error = Reason(result.Exception);
            return false;
        }

        if (!TryReadClaims(jwt, out List<Permission> permissions, out string? subject, out string? issuer))
        {
            error = "malformed claims (exp or nbf not a number, or sub or iss not a string)";
            return false;
        }

        principal = Principal.ForToken(subject, issuer, jwt.EncodedSignature, permissions);
        error = string.Empty;
        return true;
    }

    private TokenValidationParameters Parameters(DateTimeOffset now) => new()
    {
        // The library reads exp and nbf (NumericDates, a fraction is dropped); the instant they are
        // compared with is ours, so that it can be given (the library's own clock is not settable).
        ValidateLifetime = true,
        LifetimeValidator = (notBefore, expires, _, _) => CheckLifetime(notBefore, expires, now),
        RequireExpirationTime = false,
        ValidateAudience = false,
        ValidateIssuer = false,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = false,
        IssuerSigningKeyResolver = ResolveKeys,
        AlgorithmValidator = IsPinnedAlgorithm,
    };

    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now)
    {
        if (expires is { } exp && new DateTimeOffset(DateTime.SpecifyKind(exp, DateTimeKind.Utc)) + ClockSkew < now)
        {
            throw new SecurityTokenExpiredException("expired");
        }

        if (notBefore is { } nbf && new DateTimeOffset(DateTime.SpecifyKind(nbf, DateTimeKind.Utc)) - ClockSkew > now)
        {
            throw new SecurityTokenNotYetValidException("not yet valid");
        }

        return true;
    }

    /// <summary>
    /// The keys that may verify a token: for HS256 the shared secret; otherwise the JWKS keys of the
    /// token's algorithm, narrowed to the one its <c>kid</c> names when it names one (no fallback).
    /// </summary>
    private IEnumerable<SecurityKey> ResolveKeys(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters)
    {
        string algorithm = securityToken is JsonWebToken jwt ? jwt.Alg : string.Empty;
        if (algorithm == SecurityAlgorithms.HmacSha256)
        {
            return _secret is null ? [] : [_secret.Key];
        }

        var keys = new List<SecurityKey>();
        foreach (PinnedSigningKey key in _keys)
        {
            if (key.Algorithm == algorithm && (string.IsNullOrEmpty(kid) || string.Equals(key.Key.KeyId, kid, StringComparison.Ordinal)))
            {
                keys.Add(key.Key);
            }
        }

        return keys;
    }

    private bool IsPinnedAlgorithm(string algorithm, SecurityKey key, SecurityToken token, TokenValidationParameters parameters)
    {
        if (_secret is not null && ReferenceEquals(key, _secret.Key))
        {
            return algorithm == _secret.Algorithm;
        }

        return _keys.Exists(k => ReferenceEquals(k.Key, key) && k.Algorithm == algorithm);
    }

    /// <summary>The permissions claim (entries that do not compile are left out), and who the token is for.</summary>
    private bool TryReadClaims(JsonWebToken jwt, out List<Permission> permissions, out string? subject, out string? issuer)
    {
        permissions = [];
        subject = issuer = null;
        try
        {
            using JsonDocument payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
            JsonElement claims = payload.RootElement;
            if (!IsNumericDateOrAbsent(claims, "exp") || !IsNumericDateOrAbsent(claims, "nbf"))
            {
                // The library also takes "exp": "1900000000"; RFC 7519 §2 says a NumericDate is a number.
                return false;
            }

            subject = OptionalString(claims, "sub");
            issuer = OptionalString(claims, "iss");
            if (claims.TryGetProperty(_permissionsClaim, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement entry in list.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    var options = new PermissionOptions
                    {
                        Action = OptionalString(entry, "action") ?? string.Empty,
                        Path = OptionalString(entry, "path"),
                    };
                    if (Permission.TryCreate(options, out Permission? permission, out _))
                    {
                        permissions.Add(permission!);
                    }
                }
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsNumericDateOrAbsent(JsonElement claims, string name) =>
        !claims.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Number;

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    // Short reasons for the log; the library's messages hide their details (PII) anyway.
    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenInvalidLifetimeException => "invalid lifetime",
        SecurityTokenSignatureKeyNotFoundException => "no key for its kid or algorithm",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed for the key",
        SecurityTokenInvalidSignatureException => "bad signature or unsupported alg",
        SecurityTokenMalformedException => "malformed token",
        null => "invalid token",
        _ => e.GetType().Name,
    };
}
