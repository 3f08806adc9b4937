using System.Collections.Concurrent;
using MediaServer.WebRtc.Ice;

namespace MediaServer.WebRtc;

/// <summary>
/// The live WebRTC sessions by WHEP resource id. Ids and ICE ufrags are 128-bit random values
/// (DESIGN.md invariant 5), so a resource cannot be guessed and a check cannot reach a session
/// whose password it does not know.
/// </summary>
public sealed class WebRtcSessionRegistry
{
    private readonly ConcurrentDictionary<string, WebRtcSession> _sessions = new(StringComparer.Ordinal);
    private readonly WebRtcUdpTransport _transport;

    internal WebRtcSessionRegistry(WebRtcUdpTransport transport) => _transport = transport;

    public int Count => _sessions.Count;

    public ICollection<WebRtcSession> All => _sessions.Values;

    public bool TryGet(string id, out WebRtcSession? session) => _sessions.TryGetValue(id, out session);

    internal void Add(WebRtcSession session)
    {
        _sessions[session.Id] = session;
        _transport.BindUfrag(session.Credentials.LocalUfrag, session);
    }

    /// <summary>ICE restart: the old ufrag stops working the moment the new one is live.</summary>
    internal void Restart(WebRtcSession session, IceCredentialsPair credentials)
    {
        string old = session.Credentials.LocalUfrag;
        session.Restart(credentials);
        _transport.BindUfrag(credentials.LocalUfrag, session);
        _transport.UnbindUfrag(old, session);
    }

    internal void Remove(WebRtcSession session)
    {
        _sessions.TryRemove(new KeyValuePair<string, WebRtcSession>(session.Id, session));
        _transport.UnbindUfrag(session.Credentials.LocalUfrag, session);
    }
}
