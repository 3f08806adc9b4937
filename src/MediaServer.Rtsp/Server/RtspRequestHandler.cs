using System.Diagnostics;
using System.Net;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The RTSP method semantics of one connection (RFC 2326 §10): who may publish or read which
/// path, session set-up, and the start and stop of egress. Every refusal is a status code; none
/// touches another connection, session or stream.
/// </summary>
internal sealed class RtspRequestHandler
{
    private const string PublicMethods =
        "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, RECORD, TEARDOWN, GET_PARAMETER, SET_PARAMETER";

    private readonly RtspConnection _connection;
    private readonly RtspServerContext _server;
    private readonly ILogger _logger;
    private static readonly AttributionConflicts InterleavedConflicts = new(AttributionMap.RtspInterleavedChannel);

    private readonly RtspAuthenticator _auth;
    private PendingAnnounce? _announce;
    private Action? _afterResponse;
    private Principal _principal = Principal.Anonymous;

    // When the set-up now in progress began: the first request since the last PLAY or RECORD.
    private long _setupStartedAt;

    public RtspRequestHandler(RtspConnection connection, RtspServerContext server)
    {
        _connection = connection;
        _server = server;
        _logger = connection.Logger;
        _auth = new RtspAuthenticator(server.Users, server.AuthLimiter, (connection.RemoteEndPoint as IPEndPoint)?.Address, connection.IsSecure, _logger);
    }

    private RtspOptions Options => _server.Options;

    /// <summary>When the pending ANNOUNCE was made, while no session publishes it yet.</summary>
    public long? AnnouncedAt { get; private set; }

    /// <summary>Fills the response; false when the connection must close after it.</summary>
    public async ValueTask<bool> HandleAsync(RtspRequest request, RtspResponse response)
    {
        _afterResponse = null;
        if (_setupStartedAt == 0)
        {
            _setupStartedAt = Stopwatch.GetTimestamp();
        }

        if (request.CSeq < 0)
        {
            response.StatusCode = 400;
            return true;
        }

        if (!_auth.TryAuthenticate(request, out _principal))
        {
            // Too many failed attempts from this address: refuse without looking, and hang up.
            response.StatusCode = 503;
            response.AddHeader("Retry-After", "60");
            return false;
        }

        RtspSession? session = null;
        if (request.Session is { } sessionId &&
            (!_connection.Sessions.TryGetValue(sessionId, out session) || !session.Owner.IsSameOwner(_principal)))
        {
            // Another principal's session is as unknown here as one of another connection.
            response.StatusCode = 454;
            return true;
        }

        session?.Touch();
        switch (request.Method)
        {
            case RtspMethod.Options:
                response.StatusCode = 200;
                response.AddHeader("Public", PublicMethods);
                break;
            case RtspMethod.Describe:
                Describe(request, response);
                break;
            case RtspMethod.Announce:
                Announce(request, response);
                break;
            case RtspMethod.Setup:
                session = Setup(request, response, session);
                break;
            case RtspMethod.Record:
                Record(response, session);
                break;
            case RtspMethod.Play:
                Play(response, session);
                break;
            case RtspMethod.Pause:
                await PauseAsync(response, session);
                break;
            case RtspMethod.Teardown:
                await TeardownAsync(response, session);
                break;
            case RtspMethod.GetParameter:
                response.StatusCode = 200;
                break;
            case RtspMethod.SetParameter:
                response.StatusCode = request.Body.IsEmpty ? 200 : 451;
                break;
            default:
                response.StatusCode = 501;
                response.AddHeader("Public", PublicMethods);
                break;
        }

        if (session is not null && response.StatusCode == 200 && !session.IsClosed)
        {
            response.AddHeader("Session", $"{session.Id};timeout={Options.SessionTimeoutSeconds}");
        }

        return true;
    }

    /// <summary>Runs what must follow the response on the wire (egress starts only after PLAY's 200).</summary>
    public ValueTask AfterResponseAsync()
    {
        Action? action = _afterResponse;
        _afterResponse = null;
        action?.Invoke();
        return ValueTask.CompletedTask;
    }

    public async ValueTask CloseSessionAsync(RtspSession session)
    {
        SessionMode mode = session.Mode;
        if (session.Egress is TcpReaderEgress tcp)
        {
            await tcp.StopAsync();
            _connection.TcpEgress = null;
            session.Egress = null;
            await tcp.DrainControlAsync();
        }

        MediaStream? stream = session.Stream;
        await session.CloseAsync(_server.Registry, _server.Udp);
        _connection.Unbind(session);
        _server.SessionIds.Release(session.Id, session);
        if (_connection.Sessions.TryRemove(session.Id, out _) && stream is not null && mode is SessionMode.Publish or SessionMode.Read)
        {
            _server.Registry.Events.Raise(mode == SessionMode.Publish ? StreamEventKind.NotReady : StreamEventKind.Unread, stream.Id, session.Id, "rtsp");
        }
        if (_announce is not null && session.IsPublisher && ReferenceEquals(_announce.Stream, session.Stream))
        {
            _announce = null;
            AnnouncedAt = null;
        }
    }

    /// <summary>Called when the connection ends: a stream announced but never set up is withdrawn.</summary>
    public void AbandonAnnounce()
    {
        if (_announce is not null)
        {
            _server.Registry.Unpublish(_announce.Stream);
            _announce = null;
            AnnouncedAt = null;
        }
    }

    private void Describe(RtspRequest request, RtspResponse response)
    {
        if (!TryAuthorize(request.Uri, StreamAction.Read, response, out StreamId id, out _))
        {
            return;
        }

        if (!_server.Registry.TryGet(id, out MediaStream stream))
        {
            response.StatusCode = 404;
            return;
        }

        string sdp = DescribeBuilder.Build(stream, LocalAddress());
        response.StatusCode = 200;
        response.AddHeader("Content-Base", request.Uri.EndsWith('/') ? request.Uri : request.Uri + "/");
        response.SetBody(Encoding.UTF8.GetBytes(sdp), "application/sdp");
    }

    private void Announce(RtspRequest request, RtspResponse response)
    {
        string? contentType = request.Headers.Get("Content-Type");
        if (contentType is null || request.Body.IsEmpty)
        {
            response.StatusCode = 400;
            return;
        }

        if (!contentType.Trim().StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            response.StatusCode = 415;
            return;
        }

        if (_announce is not null)
        {
            response.StatusCode = 455;
            return;
        }

        if (!TryAuthorize(request.Uri, StreamAction.Publish, response, out StreamId id, out StreamGrant grant))
        {
            return;
        }

        string text = Encoding.UTF8.GetString(request.Body.Span);
        if (!SessionDescription.TryParse(text, out SessionDescription? description, out string? error) || description is null)
        {
            _logger.LogWarning("ANNOUNCE for {Path} with an unparsable SDP: {Error}", id.Path, error);
            response.StatusCode = 400;
            return;
        }

        if (description.Media.Count == 0)
        {
            response.StatusCode = 400;
            return;
        }

        PublishOutcome outcome = _server.Registry.TryPublish(grant, description, out MediaStream? stream);
        if (outcome is PublishOutcome.PathBusy)
        {
            _logger.LogWarning("ANNOUNCE for {Path} refused: someone is already publishing it", id.Path);
            response.StatusCode = 400;
            return;
        }

        if (outcome is PublishOutcome.TooManyPublishers)
        {
            _logger.LogWarning("ANNOUNCE for {Path} refused: Streams:MaxPublishers paths are published already", id.Path);
            response.StatusCode = 453;
            return;
        }

        if (stream is null)
        {
            response.StatusCode = 403;
            return;
        }

        _announce = new PendingAnnounce(stream, grant, id.Path, description.Media.Select(m => m.Control).ToArray());
        AnnouncedAt = Environment.TickCount64;
        // A publisher replaced by another (path configured to allow it) loses its connection.
        stream.Completion.ContinueWith(
            _ => _connection.RequestClose($"stream {id.Path} was closed"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _logger.LogInformation("Publisher announced {Path} with {Tracks} track(s) ({Outcome})", id.Path, description.Media.Count, outcome);
        response.StatusCode = 200;
    }

    /// <summary>Returns the session the track was added to (a new one on the first SETUP).</summary>
    private RtspSession? Setup(RtspRequest request, RtspResponse response, RtspSession? session)
    {
        SetupTrack(request, response, ref session);
        return session;
    }

    private void SetupTrack(RtspRequest request, RtspResponse response, ref RtspSession? session)
    {
        string? transportValue = request.Headers.Get("Transport");
        if (transportValue is null || !TransportHeader.TryParse(transportValue, out IReadOnlyList<TransportSpec> specs, out _))
        {
            response.StatusCode = 400;
            return;
        }

        TransportSpec? spec = specs.FirstOrDefault(IsSupported);
        if (spec is null)
        {
            _logger.LogInformation(
                "SETUP of {Path} from {Client} refused with 461 Unsupported Transport: {Reasons}",
                RtspUri.TryParse(request.Uri, out string path) ? path : request.Uri,
                _connection.RemoteEndPoint,
                TransportRefusal.ExplainAll(specs, UdpOffered));
            response.StatusCode = 461;
            return;
        }

        if (session is not null && session.Mode != SessionMode.Setup)
        {
            response.StatusCode = 455;
            return;
        }

        bool publishing = session?.IsPublisher ?? _announce is not null;
        MediaStream stream;
        int trackIndex;
        StreamGrant grant;
        if (publishing)
        {
            PendingAnnounce announce = _announce!;
            trackIndex = FindAnnouncedTrack(request.Uri, announce);
            if (trackIndex < 0)
            {
                response.StatusCode = 404;
                return;
            }

            stream = announce.Stream;
            grant = announce.Grant;
        }
        else
        {
            if (!TryResolveReaderTrack(request.Uri, response, out stream!, out trackIndex, out grant))
            {
                return;
            }

            if (session?.Stream is not null && !ReferenceEquals(session.Stream, stream))
            {
                // One session reads one stream: tracks of two streams cannot be aggregated.
                response.StatusCode = 459;
                return;
            }
        }

        TransportKind kind = spec.Lower == TransportLowerKind.Tcp ? TransportKind.Tcp : TransportKind.Udp;
        if (kind == TransportKind.Udp && _connection.IsSecure)
        {
            // Plain RTP over UDP would undo what RTSPS protects: media goes interleaved in the TLS stream.
            _logger.LogInformation("SETUP over RTSPS asked for UDP: refused, interleaved TCP only");
            response.StatusCode = 461;
            return;
        }
        if (session is not null && session.Transport != kind)
        {
            response.StatusCode = 461;
            return;
        }

        if (session is not null && session.Tracks[trackIndex] is not null)
        {
            response.StatusCode = 455;
            return;
        }

        if (session is null && _connection.Sessions.Count >= Options.MaxSessionsPerConnection)
        {
            MetricsRegistry.LimitRejections.WithLabels("sessions_per_connection").Inc();
            _logger.LogWarning("SETUP refused: the connection holds Rtsp:MaxSessionsPerConnection ({Max}) sessions", Options.MaxSessionsPerConnection);
            response.StatusCode = 453;
            return;
        }

        var track = new SessionTrack(trackIndex);
        var reply = new TransportSpec
        {
            Protocol = kind == TransportKind.Tcp ? "RTP/AVP/TCP" : "RTP/AVP",
            Lower = spec.Lower,
            IsUnicast = true,
            Mode = publishing ? "record" : null,
            Ssrc = publishing ? null : track.Ssrc,
        };

        IPAddress? clientAddress = null;
        if (kind == TransportKind.Tcp)
        {
            (int rtp, int rtcp) = spec.Interleaved ?? (trackIndex * 2, (trackIndex * 2) + 1);
            if (!InterleavedChannelsFree(rtp, rtcp, trackIndex))
            {
                response.StatusCode = 461;
                return;
            }

            track.RtpChannel = rtp;
            track.RtcpChannel = rtcp;
            reply.Interleaved = (rtp, rtcp);
        }
        else
        {
            // Media goes only to the address the request came from, never to a "destination"
            // a client names: the server must not be usable to flood third parties.
            clientAddress = ((IPEndPoint)_connection.RemoteEndPoint!).Address;
            (int rtp, int rtcp) = spec.ClientPort!.Value;
            if (rtp == rtcp || IsServerPort(clientAddress, rtp, trackIndex) || IsServerPort(clientAddress, rtcp, trackIndex))
            {
                response.StatusCode = 461;
                return;
            }

            reply.ClientPort = (rtp, rtcp);
            reply.ServerPort = (_server.Udp!.RtpPort, _server.Udp.RtcpPort);
        }

        bool created = session is null;
        session ??= CreateSession(kind, stream, publishing, grant);
        if (clientAddress is not null && !TryClaimClientPorts(session, track, clientAddress, reply.ClientPort!.Value))
        {
            // Another session's camera or player sends from these ports: refused, never rebound.
            if (created)
            {
                _server.SessionIds.Release(session.Id, session);
            }

            response.StatusCode = 461;
            return;
        }

        if (created)
        {
            _connection.Sessions[session.Id] = session;
        }

        session.Stream ??= stream;
        session.Tracks[trackIndex] = track;
        if (kind == TransportKind.Tcp)
        {
            _connection.Bind(track.RtpChannel, session, trackIndex, isRtcp: false);
            _connection.Bind(track.RtcpChannel, session, trackIndex, isRtcp: true);
        }

        response.StatusCode = 200;
        response.AddHeader("Transport", reply.Format());
    }

    /// <summary>A new session with an id no live session has (invariant 7); registered on the connection by the caller.</summary>
    private RtspSession CreateSession(TransportKind kind, MediaStream stream, bool publishing, StreamGrant grant)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var session = new RtspSession(SessionId.Create(), _connection)
            {
                Transport = kind,
                Stream = stream,
                IsPublisher = publishing,
                Grant = grant,
                Owner = _principal,
                Tracks = new SessionTrack?[stream.Tracks.Count],
            };
            if (_server.SessionIds.TryClaim(session.Id, session, $"a new session of {_principal.Name}"))
            {
                return session;
            }
        }

        // 128 random bits collided three times: the random source is broken; never reuse an id.
        throw new InvalidOperationException("Could not draw an unused RTSP session id.");
    }

    /// <summary>
    /// Claims the client's RTP and RTCP source addresses for this track, both or neither; false
    /// when another track (of any session, this one included) holds either (invariant 7).
    /// </summary>
    private bool TryClaimClientPorts(RtspSession session, SessionTrack track, IPAddress client, (int Rtp, int Rtcp) ports)
    {
        RtspUdpTransport udp = _server.Udp!;
        var rtp = new UdpTrackSink(session, track.TrackIndex, new IPEndPoint(client, ports.Rtp), isRtcp: false, udp);
        var rtcp = new UdpTrackSink(session, track.TrackIndex, new IPEndPoint(client, ports.Rtcp), isRtcp: true, udp);
        string claimant = $"{session} SETUP of track {track.TrackIndex}";
        if (!udp.TryClaim(rtp, claimant))
        {
            return false;
        }

        if (!udp.TryClaim(rtcp, claimant))
        {
            udp.Release(rtp);
            return false;
        }

        track.RtpSink = rtp;
        track.RtcpSink = rtcp;
        return true;
    }

    /// <summary>
    /// True when a client on this very host declares one of the server's own UDP ports: media and
    /// reports would loop back into the server's sockets as if a client had sent them.
    /// </summary>
    private bool IsServerPort(IPAddress client, int port, int trackIndex)
    {
        bool sameHost = IPAddress.IsLoopback(client) || client.Equals((_connection.LocalEndPoint as IPEndPoint)?.Address);
        RtspUdpTransport udp = _server.Udp!;
        if (!sameHost || (port != udp.RtpPort && port != udp.RtcpPort && !_server.OtherServerUdpPorts.Contains(port)))
        {
            return false;
        }

        udp.Sources.Refuse(new IPEndPoint(client, port).Serialize(), $"{_principal.Name} SETUP of track {trackIndex}", "the server's own UDP socket");
        return true;
    }

    /// <summary>False (logged, counted) when either channel already carries a track of this connection.</summary>
    private bool InterleavedChannelsFree(int rtp, int rtcp, int trackIndex)
    {
        ChannelBinding[] channels = _connection.Channels;
        if (rtp != rtcp && channels[rtp].Session is null && channels[rtcp].Session is null)
        {
            return true;
        }

        if (InterleavedConflicts.Count(out long more))
        {
            _logger.LogWarning(
                "Attribution conflict in {Map}: SETUP of track {Track} asked for channels {Rtp}-{Rtcp}, which this connection already uses; refused (and {More} more refused in this map since the last line)",
                InterleavedConflicts.Map, trackIndex, rtp, rtcp, more);
        }

        return false;
    }

    private void Record(RtspResponse response, RtspSession? session)
    {
        if (session is null)
        {
            response.StatusCode = 454;
            return;
        }

        if (!session.IsPublisher || session.Mode != SessionMode.Setup || session.SetUpTrackCount == 0)
        {
            response.StatusCode = 455;
            return;
        }

        session.Mode = SessionMode.Publish;
        _announce = null;
        AnnouncedAt = null;
        _logger.LogInformation("Publishing {Path} over {Transport}", session.Stream!.Id.Path, session.Transport);
        _server.Registry.Events.Raise(StreamEventKind.Ready, session.Stream.Id, session.Id, "rtsp");
        ObserveSetup(SessionSetupTimes.RtspRecord);
        response.StatusCode = 200;
    }

    private void Play(RtspResponse response, RtspSession? session)
    {
        if (session is null)
        {
            response.StatusCode = 454;
            return;
        }

        if (session.IsPublisher || session.SetUpTrackCount == 0)
        {
            response.StatusCode = 455;
            return;
        }

        if (session.Mode == SessionMode.Read)
        {
            response.StatusCode = 200;
            return;
        }

        MediaStream stream = session.Stream!;
        if (stream.IsClosed)
        {
            response.StatusCode = 404;
            return;
        }

        if (session.Transport == TransportKind.Tcp && _connection.TcpEgress is not null)
        {
            // One interleaved reader per connection owns the output.
            response.StatusCode = 455;
            return;
        }

        // A path rule's join mode, when it has one, overrides Rtsp:JoinMode (rules are validated on load).
        JoinMode joinMode = JoinModeLabels.TryParse(session.Grant.Rule?.Options.JoinMode, out JoinMode pathMode) ? pathMode : Options.JoinMode;
        if (!stream.TrySubscribe(session.Grant, out MediaStreamReader? reader, waitForLiveKeyframe: joinMode == JoinMode.Keyframe))
        {
            _logger.LogWarning("Reader {Session} refused: {Path} has Streams:MaxReadersPerPath readers", session.Id, stream.Id.Path);
            response.StatusCode = 453;
            return;
        }

        ILogger egressLogger = _logger;
        if (session.Transport == TransportKind.Tcp)
        {
            var egress = new TcpReaderEgress(session, reader, _connection.Output, Options, egressLogger, joinMode);
            session.Egress = egress;
            _afterResponse = () =>
            {
                _connection.TcpEgress = egress;
                egress.Start();
            };
        }
        else
        {
            var egress = new UdpReaderEgress(session, reader, _server.Udp!, Options, egressLogger, joinMode);
            session.Egress = egress;
            _afterResponse = egress.Start;
        }

        session.Mode = SessionMode.Read;
        _server.Registry.Events.Raise(StreamEventKind.Read, stream.Id, session.Id, "rtsp");
        _logger.LogInformation("Reader {Session} plays {Path} over {Transport}", session.Id, stream.Id.Path, session.Transport);
        ObserveSetup(SessionSetupTimes.RtspPlay);
        response.StatusCode = 200;
        response.AddHeader("Range", "npt=0.000-");
    }

    private async ValueTask PauseAsync(RtspResponse response, RtspSession? session)
    {
        if (session is null)
        {
            response.StatusCode = 454;
            return;
        }

        if (session.IsPublisher)
        {
            response.StatusCode = 455;
            return;
        }

        if (session.Egress is { } egress)
        {
            await egress.StopAsync();
            session.Egress = null;
            if (egress is TcpReaderEgress tcp)
            {
                _connection.TcpEgress = null;
                await tcp.DrainControlAsync();
            }
        }

        session.Mode = SessionMode.Setup;
        response.StatusCode = 200;
    }

    private async ValueTask TeardownAsync(RtspResponse response, RtspSession? session)
    {
        if (session is null)
        {
            response.StatusCode = 454;
            return;
        }

        await CloseSessionAsync(session);
        response.StatusCode = 200;
    }

    /// <summary>A session started: its set-up time counts from the first request since the last one.</summary>
    private void ObserveSetup(Prometheus.Histogram.Child kind)
    {
        SessionSetupTimes.ObserveSince(kind, _setupStartedAt);
        _setupStartedAt = 0;
    }

    private bool IsSupported(TransportSpec spec)
    {
        if (!spec.IsRtpAvp || !spec.IsUnicast || spec.Lower == TransportLowerKind.Other)
        {
            return false;
        }

        return spec.Lower == TransportLowerKind.Tcp || (UdpOffered && spec.ClientPort is not null);
    }

    private bool UdpOffered => Options.EnableUdp && _server.Udp is not null;

    private bool TryAuthorize(string uri, StreamAction action, RtspResponse response, out StreamId id, out StreamGrant grant)
    {
        grant = default;
        if (!RtspUri.TryParse(uri, out string path) || !StreamId.TryCreate(path.TrimEnd('/'), out id))
        {
            id = default;
            response.StatusCode = 400;
            return false;
        }

        return Authorize(id, action, response, out grant);
    }

    private bool Authorize(StreamId id, StreamAction action, RtspResponse response, out StreamGrant grant)
    {
        AccessDecision decision = _server.Authorizer.Authorize(id, action, _principal, out grant);
        response.StatusCode = decision switch
        {
            AccessDecision.Allowed => 200,
            AccessDecision.NoSuchPath => 404,
            AccessDecision.Unauthorized => 401,
            _ => 403,
        };
        if (decision == AccessDecision.Unauthorized)
        {
            _auth.Challenge(response);
        }

        return decision == AccessDecision.Allowed;
    }

    /// <summary>Splits "cam1/trackID=1" into the stream and its track; a bare stream URL means its only track.</summary>
    private bool TryResolveReaderTrack(string uri, RtspResponse response, out MediaStream stream, out int trackIndex, out StreamGrant grant)
    {
        stream = null!;
        trackIndex = -1;
        grant = default;
        if (!RtspUri.TryParse(uri, out string path))
        {
            response.StatusCode = 400;
            return false;
        }

        path = path.TrimEnd('/');
        string streamPath = path;
        int slash = path.LastIndexOf('/');
        if (slash > 0 && path.AsSpan(slash + 1).StartsWith("trackID=", StringComparison.Ordinal))
        {
            if (!int.TryParse(path.AsSpan(slash + 1 + "trackID=".Length), out trackIndex))
            {
                response.StatusCode = 400;
                return false;
            }

            streamPath = path[..slash];
        }

        if (!StreamId.TryCreate(streamPath, out StreamId id))
        {
            response.StatusCode = 400;
            return false;
        }

        if (!Authorize(id, StreamAction.Read, response, out grant))
        {
            return false;
        }

        if (!_server.Registry.TryGet(id, out stream))
        {
            response.StatusCode = 404;
            return false;
        }

        if (trackIndex < 0 && stream.Tracks.Count == 1)
        {
            trackIndex = 0;
        }

        if ((uint)trackIndex >= (uint)stream.Tracks.Count)
        {
            response.StatusCode = 404;
            return false;
        }

        return true;
    }

    /// <summary>Matches a publisher's SETUP URL against the control attributes it announced.</summary>
    private static int FindAnnouncedTrack(string uri, PendingAnnounce announce)
    {
        if (!RtspUri.TryParse(uri, out string path))
        {
            return -1;
        }

        path = path.TrimEnd('/');
        for (int i = 0; i < announce.Controls.Length; i++)
        {
            string? control = announce.Controls[i];
            string candidate;
            if (string.IsNullOrEmpty(control) || control == "*")
            {
                candidate = announce.Path;
            }
            else if (control.Contains("://", StringComparison.Ordinal))
            {
                if (!RtspUri.TryParse(control, out candidate))
                {
                    continue;
                }
            }
            else
            {
                candidate = announce.Path + "/" + control.TrimStart('/');
            }

            if (string.Equals(candidate.TrimEnd('/'), path, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return path == announce.Path && announce.Controls.Length == 1 ? 0 : -1;
    }

    private string LocalAddress() =>
        (_connection.LocalEndPoint as IPEndPoint)?.Address.ToString() ?? "0.0.0.0";
}
