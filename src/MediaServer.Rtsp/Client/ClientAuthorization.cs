using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// The pull client's answer to a camera's challenge: Digest (RFC 7616 and RFC 2617: MD5 or
/// SHA-256, with <c>qop=auth</c> or without qop) or Basic (RFC 7617). Once challenged, every later
/// request carries the Authorization the challenge asked for (Digest with the next nonce count).
/// </summary>
internal sealed class ClientAuthorization
{
    private readonly string _user;
    private readonly string _password;
    private AuthenticationChallenge? _challenge;
    private DigestAlgorithm _algorithm;
    private bool _session;
    private bool _qopAuth;
    private int _nonceCount;
    private readonly string? _fixedCnonce;
    private string _cnonce = string.Empty;

    /// <param name="cnonce">A fixed client nonce, for RFC test vectors; a random one per challenge when null.</param>
    public ClientAuthorization(string? user, string? password, string? cnonce = null)
    {
        _fixedCnonce = cnonce;
        _user = user ?? string.Empty;
        _password = password ?? string.Empty;
        HasCredentials = user is not null;
    }

    public bool HasCredentials { get; }

    /// <summary>Whether a challenge was taken: requests carry an Authorization header.</summary>
    public bool IsChallenged => _challenge is not null;

    /// <summary>
    /// Takes the strongest challenge this client can answer (Digest SHA-256, then Digest MD5, then
    /// Basic); false when there is none.
    /// </summary>
    public bool TryTake(IReadOnlyList<AuthenticationChallenge> challenges, out string? error)
    {
        AuthenticationChallenge? best = null;
        int bestRank = 0;
        foreach (AuthenticationChallenge challenge in challenges)
        {
            int rank = Rank(challenge, out _, out _);
            if (rank > bestRank)
            {
                best = challenge;
                bestRank = rank;
            }
        }

        if (best is null)
        {
            error = challenges.Count == 0
                ? "the camera asked for authentication without a WWW-Authenticate challenge"
                : $"no supported challenge among: {string.Join(", ", challenges.Select(c => c.Scheme + " " + c["algorithm"]))}";
            return false;
        }

        Rank(best, out _algorithm, out _session);
        _challenge = best;
        _qopAuth = best.IsDigest && QopOffersAuth(best["qop"]);
        _nonceCount = 0;
        _cnonce = _fixedCnonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        error = null;
        return true;
    }

    /// <summary>The Authorization header value for a request, or null before any challenge.</summary>
    public string? For(string method, string uri)
    {
        AuthenticationChallenge? challenge = _challenge;
        if (challenge is null)
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
        }

        string realm = challenge["realm"] ?? string.Empty;
        string nonce = challenge["nonce"] ?? string.Empty;
        string ha1 = DigestHash.Ha1(_algorithm, _user, realm, _password);
        string? nc = null;
        if (_qopAuth)
        {
            _nonceCount++;
            nc = _nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        }

        // The same computation the server checks a client's answer with.
        string response = DigestFields.ExpectedResponse(_algorithm, _session, ha1, method, uri, nonce, _qopAuth ? "auth" : null, nc, _cnonce)!;
        var text = new StringBuilder(256);
        text.Append(CultureInfo.InvariantCulture, $"Digest username=\"{Quote(_user)}\", realm=\"{Quote(realm)}\", nonce=\"{Quote(nonce)}\", uri=\"{Quote(uri)}\", response=\"{response}\"");
        if (challenge["algorithm"] is { } algorithm)
        {
            text.Append(", algorithm=").Append(algorithm);
        }

        if (challenge["opaque"] is { } opaque)
        {
            text.Append(", opaque=\"").Append(Quote(opaque)).Append('"');
        }

        if (_qopAuth)
        {
            text.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{_cnonce}\"");
        }

        return text.ToString();
    }

    /// <summary>0: cannot answer; higher is stronger.</summary>
    private static int Rank(AuthenticationChallenge challenge, out DigestAlgorithm algorithm, out bool session)
    {
        algorithm = DigestAlgorithm.Md5;
        session = false;
        if (challenge.IsBasic)
        {
            return 1;
        }

        if (!challenge.IsDigest || challenge["nonce"] is null)
        {
            return 0;
        }

        // A qop list without "auth" (auth-int only) asks for what this client does not compute.
        if (challenge["qop"] is { } qop && !QopOffersAuth(qop))
        {
            return 0;
        }

        if (!DigestFields.TryParseAlgorithm(challenge["algorithm"] ?? "MD5", out algorithm, out session))
        {
            return 0;
        }

        return algorithm == DigestAlgorithm.Sha256 ? 3 : 2;
    }

    private static bool QopOffersAuth(string? qop)
    {
        if (qop is null)
        {
            return false;
        }

        foreach (string option in qop.Split(',', StringSplitOptions.TrimEntries))
        {
            if (option.Equals("auth", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // A quoted-string escapes '"' and '\' (RFC 7230 §3.2.6).
    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
