namespace MediaServer.WebRtc.Dtls;

/// <summary>How a DTLS session ended.</summary>
public enum DtlsCloseReason
{
    /// <summary><see cref="DtlsServerSession.Close"/> was called (close_notify sent if the handshake had completed).</summary>
    LocalClose,

    /// <summary>The peer sent close_notify: the browser closed its RTCPeerConnection.</summary>
    PeerCloseNotify,

    /// <summary>The peer sent a fatal alert.</summary>
    PeerFatalAlert,

    /// <summary>The handshake failed or timed out.</summary>
    HandshakeFailed,

    /// <summary>A protocol or transport error after the handshake.</summary>
    Failed,
}
