namespace MediaServer.Rtsp.Server;

/// <summary>Why <see cref="TransportNegotiation"/> refused a SETUP; each maps to one status code.</summary>
internal enum TransportRefusalReason
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>No offered spec is unicast RTP/AVP over interleaved TCP, or over UDP with client ports while UDP is offered (461).</summary>
    NoSupportedOffer,

    /// <summary>UDP asked for on an RTSPS connection: plain RTP would undo what TLS protects (461).</summary>
    UdpInsideTls,

    /// <summary>A track asked for another transport than the session's earlier tracks use (461).</summary>
    OtherThanSession,

    /// <summary>The session has this track set up already (455).</summary>
    TrackAlreadySetUp,

    /// <summary>A new session on a connection that holds Rtsp:MaxSessionsPerConnection already (453).</summary>
    SessionLimit,

    /// <summary>The interleaved channels are one channel, or another track of this connection uses either (461).</summary>
    ChannelsTaken,

    /// <summary>No channel was named, the track's default pair lies beyond channel 255, and no pair below it is free (461).</summary>
    NoChannelsLeft,

    /// <summary>The client named one port for both RTP and RTCP (461).</summary>
    ClientPortsEqual,

    /// <summary>A client on the server's own host named one of the server's UDP ports (461).</summary>
    ClientPortIsServerPort,
}
