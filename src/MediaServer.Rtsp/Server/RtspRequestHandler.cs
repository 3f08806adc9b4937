using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The RTSP method semantics of one connection (RFC 2326 §10): authenticates the request, finds
/// its session, checks the method against the session's state (<see cref="RtspSessionStateTable"/>)
/// and hands it to its scope: <see cref="PublishRequests"/> (ANNOUNCE, RECORD),
/// <see cref="ReadRequests"/> (DESCRIBE, PLAY, PAUSE), <see cref="SetupRequest"/> (SETUP), or the
/// session-level methods here (OPTIONS, GET_PARAMETER, SET_PARAMETER, TEARDOWN). Every refusal is
/// a status code; none touches another connection, session or stream.
/// </summary>
internal sealed class RtspRequestHandler
{
    private const string PublicMethods =
        "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, RECORD, TEARDOWN, GET_PARAMETER, SET_PARAMETER";

    private readonly RtspConnection _connection;
    private readonly RtspServerContext _server;
    private readonly RtspAuthenticator _auth;
    private readonly SessionSetupClock _setupClock = new();
    private readonly PublishRequests _publish;
    private readonly ReadRequests _read;
    private readonly SetupRequest _setup;
    private Action? _afterResponse;

    public RtspRequestHandler(RtspConnection connection, RtspServerContext server)
    {
        _connection = connection;
        _server = server;
        _auth = new RtspAuthenticator(server.Users, server.AuthLimiter, (connection.RemoteEndPoint as IPEndPoint)?.Address, connection.IsSecure, connection.Logger);
        var access = new StreamAccess(server.Authorizer, _auth);
        _publish = new PublishRequests(connection, server, access, _setupClock);
        _read = new ReadRequests(connection, server, access, _setupClock);
        _setup = new SetupRequest(connection, server, _publish, _read);
    }

    /// <summary>When the pending ANNOUNCE was made, while no session publishes it yet.</summary>
    public long? AnnouncedAt => _publish.AnnouncedAt;

    /// <summary>Fills the response; false when the connection must close after it.</summary>
    public async ValueTask<bool> HandleAsync(RtspRequest request, RtspResponse response)
    {
        _afterResponse = null;
        _setupClock.OnRequest();
        if (request.CSeq < 0)
        {
            response.Status = RtspStatusCode.BadRequest;
            return true;
        }

        if (!_auth.TryAuthenticate(request, out Principal principal))
        {
            // Too many failed attempts from this address: refuse without looking, and hang up.
            response.Status = RtspStatusCode.ServiceUnavailable;
            response.AddHeader("Retry-After", "60");
            return false;
        }

        RtspSession? session = null;
        if (request.Session is { } sessionId &&
            (!_connection.Sessions.TryGetValue(sessionId, out session) || !session.Owner.IsSameOwner(principal)))
        {
            // Another principal's session is as unknown here as one of another connection.
            response.Status = RtspStatusCode.SessionNotFound;
            return true;
        }

        session?.Touch();

        // A SETUP's Transport header is judged before the state: a malformed or unservable one is 400 or 461 in any state.
        TransportSpec? offer = null;
        if (request.Method == RtspMethod.Setup && !_setup.TrySelectOffer(request, response, out offer))
        {
            return true;
        }

        RtspStatusCode allowed = RtspSessionStateTable.Check(request.Method, session?.State ?? RtspSessionState.Initial);
        if (allowed != RtspStatusCode.Ok)
        {
            response.Status = allowed;
            return true;
        }

        switch (request.Method)
        {
            case RtspMethod.Options:
                response.AddHeader("Public", PublicMethods);
                break;
            case RtspMethod.Describe:
                await _read.DescribeAsync(request, response, principal);
                break;
            case RtspMethod.Announce:
                _publish.Announce(request, response, principal);
                break;
            case RtspMethod.Setup:
                session = _setup.Setup(request, response, session, offer!, principal);
                break;
            case RtspMethod.Record:
                _publish.Record(response, session!);
                break;
            case RtspMethod.Play:
                _afterResponse = _read.Play(response, session!);
                break;
            case RtspMethod.Pause:
                await _read.PauseAsync(response, session!);
                break;
            case RtspMethod.Teardown:
                await CloseSessionAsync(session!);
                break;
            case RtspMethod.GetParameter:
                break;
            case RtspMethod.SetParameter:
                response.Status = request.Body.IsEmpty ? RtspStatusCode.Ok : RtspStatusCode.ParameterNotUnderstood;
                break;
            default:
                response.Status = RtspStatusCode.NotImplemented;
                response.AddHeader("Public", PublicMethods);
                break;
        }

        if (session is not null && response.Status == RtspStatusCode.Ok && !session.IsClosed)
        {
            response.AddHeader("Session", $"{session.Id};timeout={_server.Options.SessionTimeoutSeconds}");
        }

        return true;
    }

    /// <summary>Runs what must follow the response on the wire (egress starts only after PLAY's 200).</summary>
    public void AfterResponse()
    {
        Action? action = _afterResponse;
        _afterResponse = null;
        action?.Invoke();
    }

    /// <summary>Ends a session (TEARDOWN, or its connection ended): egress stopped, stream left, ids and channels freed.</summary>
    public async ValueTask CloseSessionAsync(RtspSession session)
    {
        SessionMode mode = session.Mode;
        await _read.StopEgressAsync(session);
        MediaStream? stream = session.Stream;
        await session.CloseAsync(_server.Registry, _server.Udp);
        _connection.Unbind(session);
        _server.SessionIds.Release(session.Id, session);
        if (_connection.Sessions.TryRemove(session.Id, out _) && stream is not null && mode is SessionMode.Publish or SessionMode.Read)
        {
            _server.Registry.Events.Raise(mode == SessionMode.Publish ? StreamEventKind.NotReady : StreamEventKind.Unread, stream.Id, session.Id, "rtsp");
        }

        _publish.OnSessionClosed(session);
    }

    /// <summary>Called when the connection ends: a stream announced but never set up is withdrawn.</summary>
    public void AbandonAnnounce() => _publish.Abandon();
}
