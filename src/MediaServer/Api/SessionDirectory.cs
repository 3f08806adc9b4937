using MediaServer.Core.Access;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;

namespace MediaServer.Api;

/// <summary>
/// Every session of every protocol: RTSP sessions from the RTSP connections, WHEP sessions from
/// the WebRTC registry. Enumerated on demand for the API and the rate sampler; nothing is cached.
/// </summary>
internal sealed class SessionDirectory(RtspServerContext rtsp, WebRtcServer? webRtc = null)
{
    public List<SessionEntry> Snapshot()
    {
        var sessions = new List<SessionEntry>();
        foreach (RtspSessionInfo s in rtsp.SnapshotSessions())
        {
            bool publishing = s.Mode == "publish";
            sessions.Add(new SessionEntry(
                s.Id,
                SessionEntry.Rtsp,
                s.Stream,
                s.Mode,
                s.Transport,
                publishing || s.Mode == "read" ? "active" : "setup",
                s.RemoteEndPoint?.ToString(),
                s.Owner,
                s.CreatedAt,
                s.PacketsSent,
                s.BytesSent,
                publishing ? s.Stream?.PacketsIn ?? 0 : 0,
                publishing ? s.Stream?.BytesIn ?? 0 : 0,
                JoinMode: s.JoinMode,
                JoinLagMs: s.JoinLagMs,
                ReportedPacketsLost: s.ReportedPacketsLost));
        }

        if (webRtc is not null)
        {
            foreach (WebRtcSession s in webRtc.Sessions.All)
            {
                WebRtcSessionState state = s.State;
                if (state == WebRtcSessionState.Closed)
                {
                    continue;
                }

                sessions.Add(new SessionEntry(
                    s.Id,
                    SessionEntry.WebRtc,
                    s.Stream,
                    s.IsPublisher ? "publish" : "read",
                    "udp",
                    state.ToString().ToLowerInvariant(),
                    s.RemoteEndPoint?.ToString(),
                    s.Owner,
                    s.CreatedAt,
                    s.PacketsSent,
                    s.BytesSent,
                    s.PacketsReceived,
                    s.BytesReceived,
                    new KeyframeRequestCounts(s.KeyframeRequests, s.KeyframeRequestsDeferred)));
            }
        }

        return sessions;
    }

    /// <summary>The sessions on paths <paramref name="principal"/> may read, optionally of one protocol.</summary>
    public List<SessionEntry> Visible(Principal principal, string? protocol = null)
    {
        List<SessionEntry> all = Snapshot();
        all.RemoveAll(s => !IsVisible(s, principal) || (protocol is not null && s.Protocol != protocol));
        return all;
    }

    public SessionEntry? Find(string id, Principal principal) =>
        Snapshot().Find(s => string.Equals(s.Id, id, StringComparison.Ordinal) && IsVisible(s, principal));

    /// <summary>Disconnects the client of a session: RTSP closes its connection, WebRTC ends the session.</summary>
    public async Task<bool> KickAsync(SessionEntry session, string reason)
    {
        if (session.Protocol == SessionEntry.Rtsp)
        {
            return rtsp.TryCloseSession(session.Id, reason);
        }

        if (webRtc is not null && webRtc.Sessions.TryGet(session.Id, out WebRtcSession? whep) && whep is not null)
        {
            await whep.CloseAsync(reason);
            return true;
        }

        return false;
    }

    // A session without a stream yet (RTSP between SETUP and a path) is shown to no one: it has
    // no path to authorise against.
    private static bool IsVisible(SessionEntry session, Principal principal) =>
        session.Stream is { } stream && principal.Allows(AccessAction.Read, stream.Id);
}
