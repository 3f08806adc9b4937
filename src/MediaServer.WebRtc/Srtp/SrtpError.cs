namespace MediaServer.WebRtc.Srtp;

/// <summary>Why an SRTP or SRTCP packet was not accepted.</summary>
public enum SrtpError
{
    None,
    TooShort,
    MalformedHeader,
    AuthenticationFailed,
    Replayed,

    /// <summary>Too far behind the newest packet to tell whether it is a replay (RFC 3711 §3.3.2).</summary>
    TooOld,
}
