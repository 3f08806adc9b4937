using System.Security.Cryptography;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// RTSP session identifiers: 128 random bits, hex encoded (DESIGN.md invariant 5). They are never
/// reused and are looked up only among the sessions of the connection that created them.
/// </summary>
internal static class SessionId
{
    public static string Create() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
