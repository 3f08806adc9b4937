using System.Collections.Concurrent;
using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Limits;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>What every RTSP connection shares: the stream registry, the access policy, the UDP sockets.</summary>
public sealed class RtspServerContext
{
    private readonly ConcurrentDictionary<RtspConnection, byte> _connections = new();

    public RtspServerContext(RtspOptions options, StreamRegistry registry, StreamAuthorizer authorizer,
        RtspUdpTransport? udp, ILoggerFactory loggerFactory, UserDirectory? users = null, AuthFailureLimiter? authLimiter = null,
        ConnectionLimiter? connectionLimiter = null)
    {
        Options = options;
        Registry = registry;
        Authorizer = authorizer;
        Udp = udp;
        LoggerFactory = loggerFactory;
        Users = users ?? new UserDirectory(new AuthOptions());
        AuthLimiter = authLimiter ?? new AuthFailureLimiter(Users.Options.MaxFailuresPerMinute);
        ConnectionLimiter = connectionLimiter ?? new ConnectionLimiter(new ConnectionLimits());
        SessionIds = new ClaimTable<string, RtspSession>(AttributionMap.RtspSessionId, loggerFactory.CreateLogger<RtspServerContext>(), StringComparer.Ordinal);
    }

    /// <summary>Every live RTSP session by id, over all connections: an id names one session only (invariant 7).</summary>
    internal ClaimTable<string, RtspSession> SessionIds { get; }

    /// <summary>
    /// UDP ports of this server's other sockets (WebRTC), which a client on this host may not
    /// declare as its own in SETUP, as it may not declare the RTP/RTCP ports.
    /// </summary>
    public IReadOnlyCollection<int> OtherServerUdpPorts { get; set; } = [];

    /// <summary>Connections in total and per client address, shared with the HTTP listeners.</summary>
    public ConnectionLimiter ConnectionLimiter { get; }

    /// <summary>Who may do what; with no users configured, everyone may do everything.</summary>
    public UserDirectory Users { get; }

    public AuthFailureLimiter AuthLimiter { get; }

    public RtspOptions Options { get; }

    public StreamRegistry Registry { get; }

    public StreamAuthorizer Authorizer { get; }

    public RtspUdpTransport? Udp { get; }

    public ILoggerFactory LoggerFactory { get; }

    public int ConnectionCount => _connections.Count;

    internal ICollection<RtspConnection> Connections => _connections.Keys;

    /// <summary>The open connections, for the host's shutdown and the API.</summary>
    public IEnumerable<RtspConnection> AllConnections => _connections.Keys;

    /// <summary>Every session of every connection, as snapshots (for the REST API; not the hot path).</summary>
    public IReadOnlyList<RtspSessionInfo> SnapshotSessions()
    {
        var sessions = new List<RtspSessionInfo>();
        foreach (RtspConnection connection in _connections.Keys)
        {
            foreach (RtspSession session in connection.Sessions.Values)
            {
                if (!session.IsClosed)
                {
                    sessions.Add(session.Snapshot());
                }
            }
        }

        return sessions;
    }

    /// <summary>
    /// Kicks a session: closes the connection that owns it (and with it every session on that
    /// connection), so the client really disconnects. False when no connection has the session.
    /// </summary>
    public bool TryCloseSession(string id, string reason)
    {
        if (!SessionIds.TryGet(id, out RtspSession? session) || session.IsClosed)
        {
            return false;
        }

        session.Connection.RequestClose(reason);
        return true;
    }

    internal void Add(RtspConnection connection) => _connections.TryAdd(connection, 0);

    internal void Remove(RtspConnection connection) => _connections.TryRemove(connection, out _);
}
