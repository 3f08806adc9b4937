namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// One challenge of a WWW-Authenticate header (RFC 7235 §4.1): its scheme (<c>Basic</c>,
/// <c>Digest</c>) and parameters (realm, nonce, qop, algorithm, opaque...). A camera sends one
/// header per challenge it accepts.
/// </summary>
public sealed class AuthenticationChallenge
{
    private AuthenticationChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    public string Scheme { get; }

    /// <summary>The auth-params, names case-insensitive, values unquoted.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public bool IsDigest => Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Reads one header value; false when it has no scheme.</summary>
    public static bool TryParse(string? value, out AuthenticationChallenge? challenge)
    {
        challenge = null;
        string text = value?.Trim() ?? string.Empty;
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string scheme = space < 0 ? text : text[..space];
        if (scheme.Length == 0 || scheme.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        IReadOnlyDictionary<string, string> parameters = space < 0
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : DigestFields.Parse(text[(space + 1)..]);
        challenge = new AuthenticationChallenge(scheme, parameters);
        return true;
    }

    /// <summary>Every challenge of a response's WWW-Authenticate headers, in order.</summary>
    public static List<AuthenticationChallenge> ReadAll(RtspHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var challenges = new List<AuthenticationChallenge>(2);
        foreach ((string name, string value) in headers)
        {
            if (name.Equals(RtspHeaderNames.WwwAuthenticate, StringComparison.OrdinalIgnoreCase) && TryParse(value, out AuthenticationChallenge? challenge))
            {
                challenges.Add(challenge!);
            }
        }

        return challenges;
    }
}
