using System.Text;

namespace MediaServer.Core.Access;

/// <summary>The user and password of an HTTP/RTSP Basic <c>Authorization</c> value (RFC 7617), after "Basic ".</summary>
public static class BasicCredentials
{
    public static bool TryParse(string encoded, out string user, out string password)
    {
        user = password = string.Empty;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
