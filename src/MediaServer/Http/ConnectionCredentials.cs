using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;

namespace MediaServer.Http;

/// <summary>
/// The Authorization value an HTTP connection last authenticated with, kept with the Kestrel
/// connection (as its SHA-256, so no token or password lingers in memory longer than the request),
/// so that the same client keeps working while its address is blocked for others' failures.
/// </summary>
internal static class ConnectionCredentials
{
    private static readonly object Key = new();

    public static void Remember(HttpContext context, string authorization)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items is { } items)
        {
            items[Key] = Hash(authorization);
        }
    }

    public static bool IsRemembered(HttpContext context, string authorization) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items is { } items &&
        items.TryGetValue(Key, out object? value) && value is byte[] remembered &&
        CryptographicOperations.FixedTimeEquals(remembered, Hash(authorization));

    private static byte[] Hash(string authorization) => SHA256.HashData(Encoding.UTF8.GetBytes(authorization));
}
