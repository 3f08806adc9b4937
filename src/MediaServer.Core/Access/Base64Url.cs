namespace MediaServer.Core.Access;

/// <summary>base64url without padding (RFC 4648 §5), as JOSE uses it.</summary>
public static class Base64Url
{
    public static byte[] Decode(string text)
    {
        string base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
