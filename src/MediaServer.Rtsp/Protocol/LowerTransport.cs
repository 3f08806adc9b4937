namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// The lower-transport of a transport spec (RFC 2326 §12.39), the network protocol under RTP:
/// "RTP/AVP" alone means UDP. How a session's media then flows is <c>SessionTransport</c>'s concern.
/// </summary>
public enum LowerTransport
{
    Udp,
    Tcp,

    /// <summary>A lower transport this server does not know (e.g. "RTP/AVP/SCTP"); such a spec is unsupported (461).</summary>
    Other,
}
