using System.Security.Cryptography;

namespace MediaServer.WebRtc.Stun;

/// <summary>
/// Random ICE credentials (RFC 8445 §5.3): ufrag and password drawn from the ice-char alphabet.
/// 22 characters of 6 bits each make the ufrag a 132-bit unguessable handle; the 32-character
/// password (192 bits) keys MESSAGE-INTEGRITY.
/// </summary>
public static class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string NewUfrag() => RandomNumberGenerator.GetString(IceChars, 22);

    public static string NewPassword() => RandomNumberGenerator.GetString(IceChars, 32);
}
