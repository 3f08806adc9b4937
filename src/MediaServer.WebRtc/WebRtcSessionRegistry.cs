using MediaServer.Core.Attribution;
using MediaServer.WebRtc.Ice;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>
/// The live WebRTC sessions by WHEP resource id, and their ICE ufrags. Ids and ufrags are 128-bit
/// random values (DESIGN.md invariant 5), so a resource cannot be guessed and a check cannot reach
/// a session whose password it does not know; both maps are exclusive (invariant 7), so a value
/// that somehow came up twice is refused instead of handing one session's traffic to another.
/// </summary>
public sealed class WebRtcSessionRegistry
{
    private readonly ClaimTable<string, WebRtcSession> _sessions;
    private readonly WebRtcUdpTransport _transport;

    internal WebRtcSessionRegistry(WebRtcUdpTransport transport, ILogger logger)
    {
        _transport = transport;
        _sessions = new ClaimTable<string, WebRtcSession>(AttributionMap.WhepResource, logger, StringComparer.Ordinal);
    }

    public int Count => _sessions.Count;

    public ICollection<WebRtcSession> All => _sessions.Owners;

    public bool TryGet(string id, out WebRtcSession? session) => _sessions.TryGet(id, out session);

    /// <summary>Registers a new session's resource id and the ufrag of each of its transports, all or none; false when any is taken.</summary>
    internal bool TryAdd(WebRtcSession session)
    {
        if (!_sessions.TryClaim(session.Id, session, session.ToString()))
        {
            return false;
        }

        IReadOnlyList<WebRtcPeerTransport> transports = session.Transports;
        for (int i = 0; i < transports.Count; i++)
        {
            if (!_transport.TryClaimUfrag(transports[i].Credentials.LocalUfrag, transports[i]))
            {
                for (int claimed = 0; claimed < i; claimed++)
                {
                    _transport.ReleaseUfrag(transports[claimed].Credentials.LocalUfrag, transports[claimed]);
                }

                _sessions.Release(session.Id, session);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// ICE restart of a single-transport session: the old ufrag stops working the moment the new
    /// one is live; false when the new one is taken.
    /// </summary>
    internal bool TryRestart(WebRtcSession session, IceCredentialsPair credentials)
    {
        WebRtcPeerTransport transport = session.Transports[0];
        string old = transport.Credentials.LocalUfrag;
        if (!_transport.TryClaimUfrag(credentials.LocalUfrag, transport))
        {
            return false;
        }

        session.Restart(credentials);
        _transport.ReleaseUfrag(old, transport);
        return true;
    }

    internal void Remove(WebRtcSession session)
    {
        _sessions.Release(session.Id, session);
        foreach (WebRtcPeerTransport transport in session.Transports)
        {
            _transport.ReleaseUfrag(transport.Credentials.LocalUfrag, transport);
        }
    }
}
