namespace MediaServer.LoadGenerator;

/// <summary>
/// What a pulled camera answers to each RTSP method, for one connection: OPTIONS, DESCRIBE (SDP
/// with sprop-parameter-sets, a=control and Content-Base), SETUP, PLAY, PAUSE, TEARDOWN and
/// GET_PARAMETER (the keep-alive). An unknown path or track is 404, an unknown method 501, a
/// request about a session the connection does not hold 454. Called with the connection's
/// write lock held, so a PLAY answer is written before the session's first frame.
/// </summary>
internal sealed class CameraRtspMethods
{
    private const string Public = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER";
    private const string TrackControl = "trackID=0";
    private const int SessionTimeoutSeconds = 60;

    private readonly CameraRtspServer _server;
    private readonly CameraRtspConnection _connection;
    private readonly Dictionary<string, CameraPlaySession> _sessions = new(StringComparer.Ordinal);

    public CameraRtspMethods(CameraRtspServer server, CameraRtspConnection connection)
    {
        _server = server;
        _connection = connection;
    }

    public CameraRtspResponse Handle(CameraRtspRequest request) => request.Method switch
    {
        "OPTIONS" => CameraRtspResponse.Ok().With("Public", Public),
        "DESCRIBE" => Describe(request),
        "SETUP" => Setup(request),
        "PLAY" => Play(request),
        "PAUSE" => WithSession(request, Pause),
        "TEARDOWN" => WithSession(request, Teardown),
        "GET_PARAMETER" => request.SessionId is null ? CameraRtspResponse.Ok() : WithSession(request, KeepAlive),
        _ => new CameraRtspResponse(501, "Not Implemented").With("Public", Public),
    };

    /// <summary>Ends every session of the connection (it closed).</summary>
    public void CloseAll()
    {
        foreach (CameraPlaySession session in _sessions.Values)
        {
            session.Close();
        }

        _sessions.Clear();
    }

    private CameraRtspResponse Describe(CameraRtspRequest request)
    {
        if (!TryPath(request.Uri, out string? path) || !_server.TryFind(path, out PulledCamera? camera))
        {
            return NotFound($"no camera at '{request.Uri}'");
        }

        string sdp =
            "v=0\r\n" +
            $"o=- {camera.Ssrc} 1 IN IP4 {_server.EndPoint.Address}\r\n" +
            $"s=LoadGenerator camera {camera.Mount}\r\n" +
            "c=IN IP4 0.0.0.0\r\n" +
            "t=0 0\r\n" +
            "a=control:*\r\n" +
            "a=range:npt=0-\r\n" +
            SyntheticH264.SdpMedia(TrackControl);
        return CameraRtspResponse.Ok()
            .With("Content-Base", _server.Url(camera) + "/")
            .WithBody("application/sdp", sdp);
    }

    private CameraRtspResponse Setup(CameraRtspRequest request)
    {
        if (!TryPath(request.Uri, out string? path))
        {
            return NotFound($"no camera at '{request.Uri}'");
        }

        if (_server.TryFind(path, out _))
        {
            return new CameraRtspResponse(459, "Aggregate Operation Not Allowed").With("X-Reason", $"SETUP names the track: {path}/{TrackControl}");
        }

        int slash = path.LastIndexOf('/');
        if (slash < 0 || !_server.TryFind(path[..slash], out PulledCamera? camera))
        {
            return NotFound($"no camera at '{request.Uri}'");
        }

        string mount = path[..slash];

        if (path[(slash + 1)..] != TrackControl)
        {
            return NotFound($"{mount} has no track '{path[(slash + 1)..]}' (only {TrackControl})");
        }

        if (request.SessionId is { } existing)
        {
            return _sessions.ContainsKey(existing)
                ? new CameraRtspResponse(455, "Method Not Valid in This State").With("X-Reason", "the camera's one track is already set up")
                : SessionNotFound();
        }

        if (request.Header("Transport") is not { } transport)
        {
            return new CameraRtspResponse(400, "Bad Request").With("X-Reason", "SETUP needs a Transport header");
        }

        if (CameraTransportChoice.Choose(transport) is not { } choice)
        {
            return new CameraRtspResponse(461, "Unsupported Transport")
                .With("X-Reason", "unicast RTP/AVP over interleaved TCP, or UDP with client_port, only");
        }

        CameraPlaySession session = choice.Interleaved
            ? CameraPlaySession.Interleaved(camera, _connection, choice.Channel)
            : CameraPlaySession.Udp(camera, _connection, choice.ClientRtpPort, choice.ClientRtcpPort);
        _sessions.Add(session.Id, session);
        return CameraRtspResponse.Ok()
            .With("Transport", session.Transport)
            .With("Session", $"{session.Id};timeout={SessionTimeoutSeconds}");
    }

    private CameraRtspResponse Play(CameraRtspRequest request) => WithSession(request, session =>
    {
        if (!TryPath(request.Uri, out string? path) || (path != session.Camera.Mount && path != $"{session.Camera.Mount}/{TrackControl}"))
        {
            return NotFound($"the session plays {session.Camera.Mount}, not '{request.Uri}'");
        }

        CameraRtspResponse response = CameraRtspResponse.Ok().With("Range", "npt=0.000-");
        // Playing already (PLAY as a keep-alive) or not any more (its UDP port went away): the camera knows.
        if (!session.Camera.IsPlaying(session))
        {
            (ushort sequence, uint timestamp) = session.Camera.Play(session);
            response.With("RTP-Info", $"url={_server.Url(session.Camera)}/{TrackControl};seq={sequence};rtptime={timestamp}");
        }

        return response;
    });

    private CameraRtspResponse Pause(CameraPlaySession session)
    {
        session.Camera.Stop(session);
        return CameraRtspResponse.Ok();
    }

    private CameraRtspResponse Teardown(CameraPlaySession session)
    {
        session.Close();
        _sessions.Remove(session.Id);
        return CameraRtspResponse.Ok();
    }

    private static CameraRtspResponse KeepAlive(CameraPlaySession session) => CameraRtspResponse.Ok();

    private CameraRtspResponse WithSession(CameraRtspRequest request, Func<CameraPlaySession, CameraRtspResponse> action)
    {
        if (request.SessionId is not { } id || !_sessions.TryGetValue(id, out CameraPlaySession? session))
        {
            return SessionNotFound();
        }

        CameraRtspResponse response = action(session);
        return _sessions.ContainsKey(id) ? response.With("Session", $"{id};timeout={SessionTimeoutSeconds}") : response;
    }

    /// <summary>The request URI's path without the leading and trailing '/': <c>cam0</c>, <c>cam0/trackID=0</c>.</summary>
    private static bool TryPath(string uri, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? path)
    {
        path = null;
        if (uri.StartsWith('/'))
        {
            path = uri;
        }
        else if (Uri.TryCreate(uri, UriKind.Absolute, out Uri? absolute) && absolute.Scheme == "rtsp")
        {
            path = absolute.AbsolutePath;
        }
        else
        {
            return false;
        }

        int query = path.IndexOf('?');
        path = (query < 0 ? path : path[..query]).Trim('/');
        return true;
    }

    private static CameraRtspResponse NotFound(string reason) => new CameraRtspResponse(404, "Not Found").With("X-Reason", reason);

    private static CameraRtspResponse SessionNotFound() => new(454, "Session Not Found");
}
