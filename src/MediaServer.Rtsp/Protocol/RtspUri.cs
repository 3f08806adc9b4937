using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Extracts the stream path from a request URI (RFC 2326 §3.2, RFC 3986 syntax). The result is
/// only a candidate: it still has to pass StreamId validation before it names anything.
/// </summary>
public static class RtspUri
{
    // RFC 3986 unreserved and sub-delims: what a reg-name host may hold besides percent escapes.
    private static readonly SearchValues<char> HostChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=%");

    private static readonly SearchValues<char> IpLiteralChars = SearchValues.Create(
        "0123456789ABCDEFabcdef:.");

    /// <summary>
    /// "rtsp://host:port/a/b?x" gives "a/b": the absolute path without its leading '/', query or
    /// fragment, percent-decoded. A bare "/a/b" (absolute path form) gives "a/b"; "*" (OPTIONS
    /// about the server itself) gives "*"; "rtsp://host" gives "". Other schemes, malformed
    /// authorities, bad escapes and control characters give false.
    /// </summary>
    public static bool TryParse(string uri, out string path)
    {
        path = string.Empty;
        if (string.IsNullOrEmpty(uri))
        {
            return false;
        }

        if (uri == "*")
        {
            path = "*";
            return true;
        }

        ReadOnlySpan<char> rest = uri;
        if (rest[0] != '/')
        {
            int schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd < 0)
            {
                return false;
            }

            ReadOnlySpan<char> scheme = rest[..schemeEnd];
            if (!scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase)
                && !scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            rest = rest[(schemeEnd + 3)..];
            int authorityEnd = rest.IndexOfAny('/', '?', '#');
            if (authorityEnd < 0)
            {
                authorityEnd = rest.Length;
            }

            if (!IsValidAuthority(rest[..authorityEnd]))
            {
                return false;
            }

            rest = rest[authorityEnd..];
        }

        int pathEnd = rest.IndexOfAny('?', '#');
        ReadOnlySpan<char> rawPath = pathEnd < 0 ? rest : rest[..pathEnd];
        if (!rawPath.IsEmpty)
        {
            // Only the one '/' that separates the path from the authority is dropped; any
            // further empty segment is left for StreamId validation to refuse.
            rawPath = rawPath[1..];
        }

        return TryDecode(rawPath, out path);
    }

    /// <summary>authority = [ userinfo "@" ] host [ ":" port ]; the host must be present.</summary>
    private static bool IsValidAuthority(ReadOnlySpan<char> authority)
    {
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            // The user information itself is not used (credentials travel in Authorization);
            // it only has to be free of characters that cannot be in a URI.
            if (authority[..at].ContainsAnyInRange((char)0, ' '))
            {
                return false;
            }

            authority = authority[(at + 1)..];
        }

        ReadOnlySpan<char> portText;
        if (!authority.IsEmpty && authority[0] == '[')
        {
            int close = authority.IndexOf(']');
            if (close < 2 || authority[1..close].ContainsAnyExcept(IpLiteralChars))
            {
                return false;
            }

            ReadOnlySpan<char> afterHost = authority[(close + 1)..];
            if (!afterHost.IsEmpty && afterHost[0] != ':')
            {
                return false;
            }

            portText = afterHost.IsEmpty ? [] : afterHost[1..];
        }
        else
        {
            int colon = authority.IndexOf(':');
            ReadOnlySpan<char> host = colon < 0 ? authority : authority[..colon];
            if (host.IsEmpty || host.ContainsAnyExcept(HostChars))
            {
                return false;
            }

            portText = colon < 0 ? [] : authority[(colon + 1)..];
        }

        // RFC 3986 allows an empty port after the colon ("host:"), meaning the default.
        return portText.IsEmpty
            || (portText.Length <= 5
                && !portText.ContainsAnyExceptInRange('0', '9')
                && int.Parse(portText, provider: System.Globalization.CultureInfo.InvariantCulture) <= ushort.MaxValue);
    }

    private static bool TryDecode(ReadOnlySpan<char> raw, out string path)
    {
        path = string.Empty;

        // Space, controls and DEL are never part of a URI; decoded ones are refused below.
        if (raw.ContainsAnyInRange((char)0, ' ') || raw.Contains((char)0x7F))
        {
            return false;
        }

        int percent = raw.IndexOf('%');
        if (percent < 0)
        {
            path = raw.ToString();
            return true;
        }

        // Escapes encode UTF-8 bytes, so decode to bytes first and validate the whole as UTF-8.
        byte[] bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(raw.Length));
        try
        {
            int length = 0;
            while (!raw.IsEmpty)
            {
                percent = raw.IndexOf('%');
                ReadOnlySpan<char> literal = percent < 0 ? raw : raw[..percent];
                length += Encoding.UTF8.GetBytes(literal, bytes.AsSpan(length));
                if (percent < 0)
                {
                    break;
                }

                if (raw.Length < percent + 3
                    || !TryHexValue(raw[percent + 1], out int high)
                    || !TryHexValue(raw[percent + 2], out int low))
                {
                    return false;
                }

                byte decoded = (byte)((high << 4) | low);
                if (decoded < 0x20 || decoded == 0x7F)
                {
                    return false;
                }

                bytes[length++] = decoded;
                raw = raw[(percent + 3)..];
            }

            ReadOnlySpan<byte> utf8 = bytes.AsSpan(0, length);
            if (!Utf8.IsValid(utf8))
            {
                return false;
            }

            path = Encoding.UTF8.GetString(utf8);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool TryHexValue(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
