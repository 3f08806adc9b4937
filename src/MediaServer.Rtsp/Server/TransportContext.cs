using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// What a SETUP's transport is decided against: the track, what its session (if any) has already,
/// the connection, and the server's UDP ports. Plain data, so the decision needs no socket.
/// </summary>
internal sealed record TransportContext
{
    /// <summary>The track being set up; its default interleaved channels are 2n and 2n + 1.</summary>
    public required int TrackIndex { get; init; }

    /// <summary>The session's transport; <see cref="SessionTransport.None"/> for a SETUP that creates the session.</summary>
    public SessionTransport SessionTransport { get; init; }

    /// <summary>True when the session has this track set up already.</summary>
    public bool TrackSetUp { get; init; }

    /// <summary>True when the SETUP would create a session and the connection holds its limit of sessions.</summary>
    public bool AtSessionLimit { get; init; }

    /// <summary>True on the RTSPS listener.</summary>
    public bool InsideTls { get; init; }

    /// <summary>True when the client runs on the server's host (loopback, or the address it connected to).</summary>
    public bool ClientOnServerHost { get; init; }

    /// <summary>Whether an interleaved channel of this connection carries a track already.</summary>
    public required Func<int, bool> IsChannelTaken { get; init; }

    /// <summary>Every UDP port of this server process: the RTP/RTCP pair and the other listeners' ports.</summary>
    public IReadOnlyCollection<int> ServerUdpPorts { get; init; } = [];
}
