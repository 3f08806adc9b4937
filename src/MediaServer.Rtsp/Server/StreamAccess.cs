using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Whether a request's principal may publish or read a path, answered in the response: 400 for a
/// URL that names no path, 404, 403, or 401 with a challenge.
/// </summary>
internal sealed class StreamAccess
{
    private readonly StreamAuthorizer _authorizer;
    private readonly RtspAuthenticator _auth;

    public StreamAccess(StreamAuthorizer authorizer, RtspAuthenticator auth)
    {
        _authorizer = authorizer;
        _auth = auth;
    }

    /// <summary>Authorizes the path of an RTSP URL.</summary>
    public bool TryAuthorize(string uri, StreamAction action, Principal principal, RtspResponse response, out StreamId id, out StreamGrant grant)
    {
        grant = default;
        if (!RtspUri.TryParse(uri, out string path) || !StreamId.TryCreate(path.TrimEnd('/'), out id))
        {
            id = default;
            response.Status = RtspStatusCode.BadRequest;
            return false;
        }

        return Authorize(id, action, principal, response, out grant);
    }

    public bool Authorize(StreamId id, StreamAction action, Principal principal, RtspResponse response, out StreamGrant grant)
    {
        AccessDecision decision = _authorizer.Authorize(id, action, principal, out grant);
        response.Status = decision switch
        {
            AccessDecision.Allowed => RtspStatusCode.Ok,
            AccessDecision.NoSuchPath => RtspStatusCode.NotFound,
            AccessDecision.Unauthorized => RtspStatusCode.Unauthorized,
            _ => RtspStatusCode.Forbidden,
        };
        if (decision == AccessDecision.Unauthorized)
        {
            _auth.Challenge(response);
        }

        return decision == AccessDecision.Allowed;
    }
}
