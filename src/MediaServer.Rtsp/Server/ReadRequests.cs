using System.Net;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The read path of one connection (RFC 2326 §10.2, §10.5, §10.6): DESCRIBE answers a stream's
/// SDP, PLAY starts a reader's egress and PAUSE stops it; and the one stop sequence of an egress.
/// </summary>
internal sealed class ReadRequests
{
    private const string TrackPrefix = "trackID=";

    private readonly RtspConnection _connection;
    private readonly RtspServerContext _server;
    private readonly StreamAccess _access;
    private readonly SessionSetupClock _setupClock;
    private readonly ILogger _logger;

    public ReadRequests(RtspConnection connection, RtspServerContext server, StreamAccess access, SessionSetupClock setupClock)
    {
        _connection = connection;
        _server = server;
        _access = access;
        _setupClock = setupClock;
        _logger = connection.Logger;
    }

    public async ValueTask DescribeAsync(RtspRequest request, RtspResponse response, Principal principal)
    {
        if (!_access.TryAuthorize(request.Uri, StreamAction.Read, principal, response, out StreamId id, out _))
        {
            return;
        }

        // Only an authorised reader may start a path's on-demand source; it waits for it here.
        if (await _server.Registry.AcquireAsync(id, _connection.Closing).ConfigureAwait(false) is not { IsClosed: false } stream)
        {
            response.Status = RtspStatusCode.NotFound;
            return;
        }

        string localAddress = (_connection.LocalEndPoint as IPEndPoint)?.Address.ToString() ?? "0.0.0.0";
        string sdp = DescribeBuilder.Build(stream, localAddress);
        response.Status = RtspStatusCode.Ok;
        response.AddHeader("Content-Base", request.Uri.EndsWith('/') ? request.Uri : request.Uri + "/");
        response.SetBody(Encoding.UTF8.GetBytes(sdp), "application/sdp");
    }

    /// <summary>
    /// PLAY of a session in <see cref="RtspSessionState.PrePlay"/> or <see cref="RtspSessionState.Play"/>
    /// (the state table checked it). Returns what starts the egress once the 200 is on the wire, if anything.
    /// </summary>
    public Action? Play(RtspResponse response, RtspSession session)
    {
        if (session.Mode == SessionMode.Read)
        {
            response.Status = RtspStatusCode.Ok;
            return null;
        }

        MediaStream stream = session.Stream!;
        if (stream.IsClosed)
        {
            response.Status = RtspStatusCode.NotFound;
            return null;
        }

        RtspOutput output = _connection.Output;
        if (session.Transport == SessionTransport.Interleaved && output.IsWritingFrames)
        {
            // One interleaved reader per connection writes frames to it.
            response.Status = RtspStatusCode.MethodNotValidInThisState;
            return null;
        }

        // A path rule's join mode, when it has one, overrides Rtsp:JoinMode (rules are validated on load).
        JoinMode joinMode = JoinModeLabels.TryParse(session.Grant.Rule?.Options.JoinMode, out JoinMode pathMode) ? pathMode : _server.Options.JoinMode;
        if (!stream.TrySubscribe(session.Grant, out MediaStreamReader? reader, waitForLiveKeyframe: joinMode == JoinMode.Keyframe))
        {
            _logger.LogWarning("Reader {Session} refused: {Path} has Streams:MaxReadersPerPath readers", session.Id, stream.Id.Path);
            response.Status = RtspStatusCode.NotEnoughBandwidth;
            return null;
        }

        RtspEgress egress;
        Action start;
        if (session.Transport == SessionTransport.Interleaved)
        {
            egress = RtspEgress.Create(session, reader, new RtspTcpSink(session, output), _server.Options, _logger, joinMode);
            start = () =>
            {
                output.StartFrames(reader.Wake);
                egress.Start();
            };
        }
        else
        {
            egress = RtspEgress.Create(session, reader, new RtspUdpSink(session, _server.Udp!), _server.Options, _logger, joinMode);
            start = egress.Start;
        }

        session.Egress = egress;
        session.Mode = SessionMode.Read;
        _server.Registry.Events.Raise(StreamEventKind.Read, stream.Id, session.Id, "rtsp");
        _logger.LogInformation("Reader {Session} plays {Path} over {Transport}", session.Id, stream.Id.Path, session.Transport);
        _setupClock.Observe(SessionSetupTimes.RtspPlay);
        response.Status = RtspStatusCode.Ok;
        response.AddHeader("Range", "npt=0.000-");
        return start;
    }

    /// <summary>PAUSE of a reader's session (the state table checked it).</summary>
    public async ValueTask PauseAsync(RtspResponse response, RtspSession session)
    {
        await StopEgressAsync(session);
        session.Mode = SessionMode.Setup;
        response.Status = RtspStatusCode.Ok;
    }

    /// <summary>
    /// Stops the session's egress, if it runs; an interleaved one then hands the output back to the
    /// ingest loop, which writes the responses queued meanwhile, so none is lost.
    /// </summary>
    public async ValueTask StopEgressAsync(RtspSession session)
    {
        if (session.Egress is not { } egress)
        {
            return;
        }

        await egress.StopAsync();
        session.Egress = null;
        if (egress.Transport == EgressTransport.RtspTcp)
        {
            await _connection.Output.EndFramesAsync();
        }
    }

    /// <summary>Splits "cam1/trackID=1" into the stream and its track; a bare stream URL means its only track.</summary>
    public bool TryResolveTrack(string uri, Principal principal, RtspResponse response, out MediaStream stream, out int trackIndex, out StreamGrant grant)
    {
        stream = null!;
        trackIndex = -1;
        grant = default;
        if (!RtspUri.TryParse(uri, out string path))
        {
            response.Status = RtspStatusCode.BadRequest;
            return false;
        }

        path = path.TrimEnd('/');
        string streamPath = path;
        int slash = path.LastIndexOf('/');
        if (slash > 0 && path.AsSpan(slash + 1).StartsWith(TrackPrefix, StringComparison.Ordinal))
        {
            if (!int.TryParse(path.AsSpan(slash + 1 + TrackPrefix.Length), out trackIndex))
            {
                response.Status = RtspStatusCode.BadRequest;
                return false;
            }

            streamPath = path[..slash];
        }

        if (!StreamId.TryCreate(streamPath, out StreamId id))
        {
            response.Status = RtspStatusCode.BadRequest;
            return false;
        }

        if (!_access.Authorize(id, StreamAction.Read, principal, response, out grant))
        {
            return false;
        }

        if (!_server.Registry.TryGet(id, out stream))
        {
            response.Status = RtspStatusCode.NotFound;
            return false;
        }

        if (trackIndex < 0 && stream.Tracks.Count == 1)
        {
            trackIndex = 0;
        }

        if ((uint)trackIndex >= (uint)stream.Tracks.Count)
        {
            response.Status = RtspStatusCode.NotFound;
            return false;
        }

        return true;
    }
}
