namespace MediaServer.WebRtc;

/// <summary>Where a session is in its life: ICE, then DTLS, then media, then closed.</summary>
public enum WebRtcSessionState
{
    /// <summary>Answered; waiting for the browser's first connectivity check.</summary>
    New,

    /// <summary>ICE checks succeed; the DTLS handshake runs.</summary>
    Connecting,

    /// <summary>SRTP keys agreed; media flows.</summary>
    Connected,

    Closed,
}
