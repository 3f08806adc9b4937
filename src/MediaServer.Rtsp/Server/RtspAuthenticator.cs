using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Who sends the requests of one RTSP connection: Basic (RFC 7617) or Digest (RFC 7616, MD5 and
/// SHA-256, with or without qop=auth) against the configured users. The Digest nonce is 128 random
/// bits issued to this connection only. Failures are counted per client address; past the limit,
/// credentials from the address are refused without checking, except those of the user this
/// connection already authenticated as (a camera's or player's keep-alive repeats them), so that
/// failures of its neighbours behind the same address cannot cut it off. Nothing secret is logged.
/// </summary>
internal sealed class RtspAuthenticator
{
    private readonly UserDirectory _users;
    private readonly AuthFailureLimiter _limiter;
    private readonly IPAddress? _client;
    private readonly bool _secure;
    private readonly ILogger _logger;
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private Principal? _authenticated;

    public RtspAuthenticator(UserDirectory users, AuthFailureLimiter limiter, IPAddress? client, bool secure, ILogger logger)
    {
        _users = users;
        _limiter = limiter;
        _client = client;
        _secure = secure;
        _logger = logger;
    }

    /// <summary>
    /// The principal of this request: its credentials if it brought valid ones, else whoever this
    /// connection authenticated as before (cameras do not all repeat Authorization on every
    /// request), else nobody. False when the client address is refused for too many failures and
    /// the request brings credentials other than those of the user this connection is.
    /// </summary>
    public bool TryAuthenticate(RtspRequest request, out Principal principal)
    {
        principal = _authenticated ?? _users.Unauthenticated;
        if (!_users.IsEnabled)
        {
            return true;
        }

        // The limiter judges credentials only: without any, the permission check decides.
        string? authorization = request["Authorization"];
        if (authorization is null)
        {
            return true;
        }

        // Checking the connection's own user costs little: Digest is a few hashes, and Basic
        // meets the user directory's cache of the password this connection was verified with.
        if (_limiter.IsBlocked(_client) && !ClaimsAuthenticatedUser(authorization))
        {
            MetricsRegistry.AuthFailures.WithLabels("rtsp", "rate_limited").Inc();
            return false;
        }

        string user = "?";
        Principal? found = null;
        bool ok = false;
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // Refused unchecked where not offered: the password has crossed the network in clear already.
            ok = BasicAllowed && TryBasic(authorization[6..].Trim(), out user, out found);
        }
        else if (authorization.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            ok = TryDigest(request, authorization[7..], out user, out found);
        }

        if (ok)
        {
            principal = _authenticated = found!;
            return true;
        }

        _limiter.RecordFailure(_client);
        MetricsRegistry.AuthFailures.WithLabels("rtsp", "bad_credentials").Inc();
        _logger.LogWarning("RTSP authentication failed for {User} from {Client}", ClaimedUser.Describe(user), _client);
        principal = Principal.Anonymous;
        return true;
    }

    /// <summary>
    /// The challenges of a 401, strongest first (RFC 7616 §3.7): each Digest algorithm some user
    /// can answer (a plain password or a stored HA1 of it), and Basic where <c>Auth:RtspBasic</c>
    /// allows it. ffmpeg and GStreamer answer Digest whenever it is offered, so when no user can
    /// answer Digest the challenge must be Basic alone for them to log in at all.
    /// </summary>
    public void Challenge(RtspResponse response)
    {
        string realm = _users.Realm;
        if (_users.CanAnswerDigest(DigestAlgorithm.Sha256))
        {
            response.AddHeader("WWW-Authenticate", $"Digest realm=\"{realm}\", nonce=\"{_nonce}\", algorithm=SHA-256");
        }

        if (_users.CanAnswerDigest(DigestAlgorithm.Md5))
        {
            response.AddHeader("WWW-Authenticate", $"Digest realm=\"{realm}\", nonce=\"{_nonce}\", algorithm=MD5");
        }

        if (BasicAllowed)
        {
            response.AddHeader("WWW-Authenticate", $"Basic realm=\"{realm}\"");
        }
    }

    private bool BasicAllowed => _users.Options.RtspBasic switch
    {
        RtspBasicPolicy.Always => true,
        RtspBasicPolicy.Tls => _secure,
        _ => false,
    };

    /// <summary>True when the credentials name the user this connection has already authenticated as.</summary>
    private bool ClaimsAuthenticatedUser(string authorization)
    {
        if (_authenticated is not { Kind: PrincipalKind.User } connectionUser)
        {
            return false;
        }

        string? claimed = null;
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            claimed = BasicCredentials.TryParse(authorization[6..].Trim(), out string user, out _) ? user : null;
        }
        else if (authorization.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            claimed = DigestFields.Parse(authorization[7..]).GetValueOrDefault("username");
        }

        return string.Equals(claimed, connectionUser.Name, StringComparison.Ordinal);
    }

    private bool TryBasic(string encoded, out string user, out Principal? principal)
    {
        principal = null;
        if (!BasicCredentials.TryParse(encoded, out user, out string password))
        {
            user = "?";
            return false;
        }

        bool ok = _users.TryBasic(user, password, out Principal found);
        principal = found;
        return ok;
    }

    private bool TryDigest(RtspRequest request, string parameters, out string user, out Principal? principal)
    {
        principal = null;
        Dictionary<string, string> fields = DigestFields.Parse(parameters);
        user = fields.GetValueOrDefault("username", "?");
        if (!fields.TryGetValue("response", out string? response) ||
            fields.GetValueOrDefault("nonce") != _nonce ||
            fields.GetValueOrDefault("realm") != _users.Realm ||
            !fields.TryGetValue("uri", out string? uri) ||
            !DigestFields.NamesRequestUri(uri, request.Uri) ||
            !DigestFields.TryParseAlgorithm(fields.GetValueOrDefault("algorithm", "MD5"), out DigestAlgorithm algorithm, out bool session) ||
            !_users.TryGetHa1(user, algorithm, out string ha1, out Principal found))
        {
            return false;
        }

        string? expected = DigestFields.ExpectedResponse(
            algorithm, session, ha1, request.MethodName, uri, _nonce,
            fields.GetValueOrDefault("qop"), fields.GetValueOrDefault("nc"), fields.GetValueOrDefault("cnonce"));
        if (expected is null ||
            !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return false;
        }

        principal = found;
        return true;
    }
}
