namespace MediaServer.Rtsp.Protocol;

/// <summary>The lower transport of a transport spec (RFC 2326 §12.39: "RTP/AVP" alone means UDP).</summary>
public enum TransportLowerKind
{
    Udp,
    Tcp,

    /// <summary>A lower transport this server does not know (e.g. "RTP/AVP/SCTP"); such a spec is unsupported (461).</summary>
    Other,
}
