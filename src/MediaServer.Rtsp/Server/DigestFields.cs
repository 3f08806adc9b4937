using System.Security.Cryptography;
using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>HTTP Digest (RFC 7616) as RTSP uses it: the parameter list, and the expected response.</summary>
internal static class DigestFields
{
    /// <summary>Parses <c>name="value", name=token, ...</c>; unknown or malformed parts are skipped.</summary>
    public static Dictionary<string, string> Parse(string parameters)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < parameters.Length && fields.Count < 32)
        {
            while (i < parameters.Length && (parameters[i] == ',' || char.IsWhiteSpace(parameters[i])))
            {
                i++;
            }

            int equals = parameters.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            int separator = parameters.IndexOf(',', i);
            if (separator >= 0 && separator < equals)
            {
                // A bare token without a value: skip it rather than glue it to the next name.
                i = separator;
                continue;
            }

            string name = parameters[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < parameters.Length && parameters[i] == '"')
            {
                int close = parameters.IndexOf('"', i + 1);
                if (close < 0)
                {
                    break;
                }

                value = parameters[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                int comma = parameters.IndexOf(',', i);
                value = (comma < 0 ? parameters[i..] : parameters[i..comma]).Trim();
                i = comma < 0 ? parameters.Length : comma;
            }

            fields.TryAdd(name, value);
        }

        return fields;
    }

    /// <summary>
    /// True when the <c>uri</c> a Digest response was computed over is the URI of the request it
    /// came with (RFC 7616 §3.4.6): the same text, or the same path once both are read as RTSP
    /// URLs (some clients put the absolute URL in one and the path in the other). Otherwise a
    /// response captured for one URL could be replayed for another.
    /// </summary>
    public static bool NamesRequestUri(string digestUri, string requestUri) =>
        string.Equals(digestUri, requestUri, StringComparison.Ordinal) ||
        (RtspUri.TryParse(digestUri, out string digestPath) && RtspUri.TryParse(requestUri, out string requestPath) &&
         string.Equals(digestPath, requestPath, StringComparison.Ordinal));

    /// <summary>The response a client that knows the password computes; null for an unknown algorithm or qop.</summary>
    public static string? ExpectedResponse(
        string algorithm, string user, string realm, string password, string method, string uri, string nonce,
        string? qop, string? nc, string? cnonce)
    {
        Func<string, string>? hash = algorithm.ToUpperInvariant() switch
        {
            "MD5" or "MD5-SESS" => Md5,
            "SHA-256" or "SHA-256-SESS" => Sha256,
            _ => null,
        };
        if (hash is null || (qop is not null && qop != "auth"))
        {
            return null;
        }

        string ha1 = hash($"{user}:{realm}:{password}");
        if (algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            ha1 = hash($"{ha1}:{nonce}:{cnonce}");
        }

        string ha2 = hash($"{method}:{uri}");
        return qop is null ? hash($"{ha1}:{nonce}:{ha2}") : hash($"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
    }

#pragma warning disable CA5351 // Digest MD5 is what RTSP cameras and players speak (RFC 7616 keeps it for compatibility).
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
