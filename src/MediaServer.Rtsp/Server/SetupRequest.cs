using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// SETUP (RFC 2326 §10.4): finds the track (a publisher's announced one or a stream's), lets
/// <see cref="TransportNegotiation"/> decide its transport, and applies the decision: the session
/// created on the first SETUP, the client ports claimed, the interleaved channels bound.
/// </summary>
internal sealed class SetupRequest
{
    private static readonly AttributionConflicts InterleavedConflicts = new(AttributionMap.RtspInterleavedChannel);

    private readonly RtspConnection _connection;
    private readonly RtspServerContext _server;
    private readonly PublishRequests _publish;
    private readonly ReadRequests _read;
    private readonly ILogger _logger;
    private readonly Func<int, bool> _isChannelTaken;

    public SetupRequest(RtspConnection connection, RtspServerContext server, PublishRequests publish, ReadRequests read)
    {
        _connection = connection;
        _server = server;
        _publish = publish;
        _read = read;
        _logger = connection.Logger;
        _isChannelTaken = channel => _connection.Channels[channel].Session is not null;
    }

    private bool UdpOffered => _server.Options.EnableUdp && _server.Udp is not null;

    /// <summary>
    /// Picks the first offer of the Transport header this server can serve: 400 when the header is
    /// missing or malformed, 461 (logged with every offer's reason) when none can be served.
    /// </summary>
    public bool TrySelectOffer(RtspRequest request, RtspResponse response, out TransportSpec offer)
    {
        offer = null!;
        string? transportValue = request.Headers.Get("Transport");
        if (transportValue is null || !TransportHeader.TryParse(transportValue, out IReadOnlyList<TransportSpec> specs, out _))
        {
            response.Status = RtspStatusCode.BadRequest;
            return false;
        }

        if (TransportNegotiation.SelectOffer(specs, UdpOffered) is not { } selected)
        {
            _logger.LogInformation(
                "SETUP of {Path} from {Client} refused with 461 Unsupported Transport: {Reasons}",
                RtspUri.TryParse(request.Uri, out string path) ? path : request.Uri,
                _connection.RemoteEndPoint,
                TransportRefusal.ExplainAll(specs, UdpOffered));
            response.Status = RtspStatusCode.UnsupportedTransport;
            return false;
        }

        offer = selected;
        return true;
    }

    /// <summary>
    /// Sets up the track the URL names with <paramref name="offer"/>, on <paramref name="session"/>
    /// (which the state table let through) or a new session; returns the session it ended up in.
    /// </summary>
    public RtspSession? Setup(RtspRequest request, RtspResponse response, RtspSession? session, TransportSpec offer, Principal principal)
    {
        bool publishing = session?.IsPublisher ?? _publish.Pending is not null;
        MediaStream stream;
        int trackIndex;
        StreamGrant grant;
        if (publishing)
        {
            PendingAnnounce announce = _publish.Pending!;
            trackIndex = PublishRequests.FindAnnouncedTrack(request.Uri, announce);
            if (trackIndex < 0)
            {
                response.Status = RtspStatusCode.NotFound;
                return session;
            }

            stream = announce.Stream;
            grant = announce.Grant;
        }
        else
        {
            if (!_read.TryResolveTrack(request.Uri, principal, response, out stream, out trackIndex, out grant))
            {
                return session;
            }

            if (session?.Stream is not null && !ReferenceEquals(session.Stream, stream))
            {
                // One session reads one stream: tracks of two streams cannot be aggregated.
                response.Status = RtspStatusCode.AggregateOperationNotAllowed;
                return session;
            }
        }

        IPAddress clientAddress = (_connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        TransportDecision decision = TransportNegotiation.Negotiate(offer, new TransportContext
        {
            TrackIndex = trackIndex,
            SessionTransport = session?.Transport ?? SessionTransport.None,
            TrackSetUp = session is not null && session.Tracks[trackIndex] is not null,
            AtSessionLimit = session is null && _connection.Sessions.Count >= _server.Options.MaxSessionsPerConnection,
            InsideTls = _connection.IsSecure,
            ClientOnServerHost = IPAddress.IsLoopback(clientAddress) || clientAddress.Equals((_connection.LocalEndPoint as IPEndPoint)?.Address),
            IsChannelTaken = _isChannelTaken,
            ServerUdpPorts = offer.Lower == LowerTransport.Udp ? ServerUdpPorts() : [],
        });
        if (!decision.IsAccepted)
        {
            OnRefused(decision, trackIndex, clientAddress, principal);
            response.Status = decision.Status;
            return session;
        }

        var track = new SessionTrack(trackIndex);
        if (decision.Transport == SessionTransport.Interleaved)
        {
            (track.RtpChannel, track.RtcpChannel) = decision.Pair;
        }

        bool created = session is null;
        session ??= CreateSession(decision.Transport, stream, publishing, grant, principal);
        if (decision.Transport == SessionTransport.Udp && !TryClaimClientPorts(session, track, clientAddress, decision.Pair))
        {
            // Another session's camera or player sends from these ports: refused, never rebound.
            if (created)
            {
                _server.SessionIds.Release(session.Id, session);
            }

            response.Status = RtspStatusCode.UnsupportedTransport;
            return created ? null : session;
        }

        if (created)
        {
            _connection.Sessions[session.Id] = session;
        }

        session.Stream ??= stream;
        session.Tracks[trackIndex] = track;
        if (decision.Transport == SessionTransport.Interleaved)
        {
            _connection.Bind(track.RtpChannel, session, trackIndex, isRtcp: false);
            _connection.Bind(track.RtcpChannel, session, trackIndex, isRtcp: true);
        }

        (int Rtp, int Rtcp) serverPorts = decision.Transport == SessionTransport.Udp ? (_server.Udp!.RtpPort, _server.Udp.RtcpPort) : default;
        TransportSpec reply = TransportNegotiation.Reply(offer, decision, publishing, track.Ssrc, serverPorts);
        response.Status = RtspStatusCode.Ok;
        response.AddHeader("Transport", reply.Format());
        return session;
    }

    private List<int> ServerUdpPorts()
    {
        RtspUdpTransport udp = _server.Udp!;
        return [udp.RtpPort, udp.RtcpPort, .. _server.OtherServerUdpPorts];
    }

    /// <summary>What a refusal leaves behind besides its status: a log line, a count, a refused source.</summary>
    private void OnRefused(TransportDecision decision, int trackIndex, IPAddress clientAddress, Principal principal)
    {
        switch (decision.Refusal)
        {
            case TransportRefusalReason.UdpInsideTls:
                // Plain RTP over UDP would undo what RTSPS protects: media goes interleaved in the TLS stream.
                _logger.LogInformation("SETUP over RTSPS asked for UDP: refused, interleaved TCP only");
                break;
            case TransportRefusalReason.SessionLimit:
                MetricsRegistry.LimitRejections.WithLabels("sessions_per_connection").Inc();
                _logger.LogWarning("SETUP refused: the connection holds Rtsp:MaxSessionsPerConnection ({Max}) sessions", _server.Options.MaxSessionsPerConnection);
                break;
            case TransportRefusalReason.ChannelsTaken when InterleavedConflicts.Count(out long more):
                _logger.LogWarning(
                    "Attribution conflict in {Map}: SETUP of track {Track} asked for channels {Rtp}-{Rtcp}, which this connection already uses; refused (and {More} more refused in this map since the last line)",
                    InterleavedConflicts.Map, trackIndex, decision.Pair.Rtp, decision.Pair.Rtcp, more);
                break;
            case TransportRefusalReason.NoChannelsLeft:
                _logger.LogInformation("SETUP of track {Track} refused: every interleaved channel pair of the connection is in use", trackIndex);
                break;
            case TransportRefusalReason.ClientPortIsServerPort:
                _server.Udp!.Sources.Refuse(new IPEndPoint(clientAddress, decision.RefusedPort).Serialize(),
                    $"{principal.Name} SETUP of track {trackIndex}", "the server's own UDP socket");
                break;
        }
    }

    /// <summary>A new session with an id no live session has (invariant 7); registered on the connection by the caller.</summary>
    private RtspSession CreateSession(SessionTransport transport, MediaStream stream, bool publishing, StreamGrant grant, Principal principal)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var session = new RtspSession(SessionId.Create(), _connection)
            {
                Transport = transport,
                Stream = stream,
                IsPublisher = publishing,
                Grant = grant,
                Owner = principal,
                Tracks = new SessionTrack?[stream.Tracks.Count],
            };
            if (_server.SessionIds.TryClaim(session.Id, session, $"a new session of {principal.Name}"))
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
}
