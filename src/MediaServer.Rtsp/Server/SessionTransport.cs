namespace MediaServer.Rtsp.Server;

/// <summary>How a session's media flows, as its first SETUP negotiated it; every later track keeps it.</summary>
internal enum SessionTransport
{
    /// <summary>Not negotiated yet.</summary>
    None,

    /// <summary>RTP and RTCP framed in the RTSP connection itself ('$' frames, RFC 2326 §10.12), over TCP or TLS.</summary>
    Interleaved,

    /// <summary>RTP and RTCP on the server's UDP socket pair, to and from the client ports the SETUP named.</summary>
    Udp,
}
