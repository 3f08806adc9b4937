using MediaServer.Core.Access;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// HTTP Digest (RFC 7616) as RTSP uses it, on both sides: the parameter list, the algorithm names,
/// and the response (the server checks a client's; the pull client computes its own).
/// </summary>
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

    /// <summary>Reads the <c>algorithm</c> of a Digest response: MD5 or SHA-256, each with or without <c>-sess</c>.</summary>
    public static bool TryParseAlgorithm(string name, out DigestAlgorithm algorithm, out bool session)
    {
        session = name.EndsWith("-sess", StringComparison.OrdinalIgnoreCase);
        string hash = session ? name[..^"-sess".Length] : name;
        algorithm = string.Equals(hash, "SHA-256", StringComparison.OrdinalIgnoreCase) ? DigestAlgorithm.Sha256 : DigestAlgorithm.Md5;
        return string.Equals(hash, "MD5", StringComparison.OrdinalIgnoreCase) || string.Equals(hash, "SHA-256", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The response a client that knows the password computes, from the user's HA1
    /// (H(user:realm:password)) alone; null for a qop other than none or <c>auth</c>.
    /// <paramref name="cnonce"/> also serves the <c>-sess</c> HA1, with or without qop.
    /// </summary>
    public static string? ExpectedResponse(
        DigestAlgorithm algorithm, bool session, string ha1, string method, string uri, string nonce, string? qop, string? nc, string? cnonce)
    {
        if (qop is not null && qop != "auth")
        {
            return null;
        }

        if (session)
        {
            ha1 = DigestHash.Of(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        string ha2 = DigestHash.Of(algorithm, $"{method}:{uri}");
        return DigestHash.Of(algorithm, qop is null ? $"{ha1}:{nonce}:{ha2}" : $"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
    }
}
