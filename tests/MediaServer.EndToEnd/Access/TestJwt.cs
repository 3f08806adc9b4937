using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace MediaServer.EndToEnd.Access;

/// <summary>HS256 bearer tokens as an identity provider would issue them for the server's JWT check.</summary>
internal static class TestJwt
{
    public const string Secret = "end-to-end shared secret, 32+ bytes long";

    /// <summary>A token for <paramref name="subject"/>, or without <c>sub</c> when it is null; each carries its own <c>jti</c>.</summary>
    public static string Issue(string? subject, params (string Action, string? Path)[] permissions)
    {
        string header = Encode(JsonSerializer.Serialize(new { alg = "HS256", typ = "JWT" }));
        var payload = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
            ["mediaserver_permissions"] = permissions.Select(p => new Dictionary<string, string?> { ["action"] = p.Action, ["path"] = p.Path }).ToArray(),
        };
        if (subject is not null)
        {
            payload["sub"] = subject;
        }

        string claims = Encode(JsonSerializer.Serialize(payload));
        byte[] signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + claims));
        return header + "." + claims + "." + Base64UrlEncoder.Encode(signature);
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
