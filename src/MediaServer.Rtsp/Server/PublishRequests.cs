using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The publish path of one connection (RFC 2326 §10.3, §10.11): ANNOUNCE claims a path for the
/// announced stream, RECORD starts publishing it. Holds the announce that awaits its SETUP.
/// </summary>
internal sealed class PublishRequests
{
    private readonly RtspConnection _connection;
    private readonly RtspServerContext _server;
    private readonly StreamAccess _access;
    private readonly SessionSetupClock _setupClock;
    private readonly ILogger _logger;

    public PublishRequests(RtspConnection connection, RtspServerContext server, StreamAccess access, SessionSetupClock setupClock)
    {
        _connection = connection;
        _server = server;
        _access = access;
        _setupClock = setupClock;
        _logger = connection.Logger;
    }

    /// <summary>The stream announced on this connection that no RECORD publishes yet; its SETUPs add publisher tracks.</summary>
    public PendingAnnounce? Pending { get; private set; }

    /// <summary>When the pending ANNOUNCE was made, while no session publishes it yet.</summary>
    public long? AnnouncedAt { get; private set; }

    public void Announce(RtspRequest request, RtspResponse response, Principal principal)
    {
        string? contentType = request.Headers.Get("Content-Type");
        if (contentType is null || request.Body.IsEmpty)
        {
            response.Status = RtspStatusCode.BadRequest;
            return;
        }

        if (!contentType.Trim().StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            response.Status = RtspStatusCode.UnsupportedMediaType;
            return;
        }

        if (Pending is not null)
        {
            response.Status = RtspStatusCode.MethodNotValidInThisState;
            return;
        }

        if (!_access.TryAuthorize(request.Uri, StreamAction.Publish, principal, response, out StreamId id, out StreamGrant grant))
        {
            return;
        }

        string text = Encoding.UTF8.GetString(request.Body.Span);
        if (!SessionDescription.TryParse(text, out SessionDescription? description, out string? error) || description is null)
        {
            _logger.LogWarning("ANNOUNCE for {Path} with an unparsable SDP: {Error}", id.Path, error);
            response.Status = RtspStatusCode.BadRequest;
            return;
        }

        if (description.Media.Count == 0)
        {
            response.Status = RtspStatusCode.BadRequest;
            return;
        }

        PublishOutcome outcome = _server.Registry.TryPublish(grant, description, out MediaStream? stream);
        if (outcome is PublishOutcome.PathBusy)
        {
            _logger.LogWarning("ANNOUNCE for {Path} refused: someone is already publishing it", id.Path);
            response.Status = RtspStatusCode.BadRequest;
            return;
        }

        if (outcome is PublishOutcome.PathHasSource)
        {
            _logger.LogWarning("ANNOUNCE for {Path} refused: the path pulls its stream from a camera (Source)", id.Path);
            response.Status = RtspStatusCode.BadRequest;
            return;
        }

        if (outcome is PublishOutcome.TooManyPublishers)
        {
            _logger.LogWarning("ANNOUNCE for {Path} refused: Streams:MaxPublishers paths are published already", id.Path);
            response.Status = RtspStatusCode.NotEnoughBandwidth;
            return;
        }

        if (stream is null)
        {
            response.Status = RtspStatusCode.Forbidden;
            return;
        }

        Pending = new PendingAnnounce(stream, grant, id.Path, description.Media.Select(m => m.Control).ToArray());
        AnnouncedAt = Environment.TickCount64;
        // A publisher replaced by another (path configured to allow it) loses its connection.
        stream.Completion.ContinueWith(
            _ => _connection.RequestClose($"stream {id.Path} was closed"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _logger.LogInformation("Publisher announced {Path} with {Tracks} track(s) ({Outcome})", id.Path, description.Media.Count, outcome);
        response.Status = RtspStatusCode.Ok;
    }

    /// <summary>RECORD of a session in <see cref="RtspSessionState.PreRecord"/> (the state table checked it).</summary>
    public void Record(RtspResponse response, RtspSession session)
    {
        session.Mode = SessionMode.Publish;
        ClearPending();
        _logger.LogInformation("Publishing {Path} over {Transport}", session.Stream!.Id.Path, session.Transport);
        _server.Registry.Events.Raise(StreamEventKind.Ready, session.Stream.Id, session.Id, "rtsp");
        _setupClock.Observe(SessionSetupTimes.RtspRecord);
        response.Status = RtspStatusCode.Ok;
    }

    /// <summary>A publisher's session closed before RECORD: its announce goes with it.</summary>
    public void OnSessionClosed(RtspSession session)
    {
        if (Pending is not null && session.IsPublisher && ReferenceEquals(Pending.Stream, session.Stream))
        {
            ClearPending();
        }
    }

    /// <summary>Called when the connection ends: a stream announced but never set up is withdrawn.</summary>
    public void Abandon()
    {
        if (Pending is not null)
        {
            _server.Registry.Unpublish(Pending.Stream);
            ClearPending();
        }
    }

    /// <summary>Matches a publisher's SETUP URL against the control attributes it announced; -1 when none matches.</summary>
    public static int FindAnnouncedTrack(string uri, PendingAnnounce announce)
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

    private void ClearPending()
    {
        Pending = null;
        AnnouncedAt = null;
    }
}
