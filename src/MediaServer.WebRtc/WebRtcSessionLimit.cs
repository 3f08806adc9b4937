namespace MediaServer.WebRtc;

/// <summary>Which bound of <see cref="WebRtcSessionQuota"/> refused a new session.</summary>
public enum WebRtcSessionLimit
{
    None,

    /// <summary><c>WebRtc:MaxSessions</c>.</summary>
    Total,

    /// <summary><c>WebRtc:MaxSessionsPerAddress</c>.</summary>
    PerAddress,

    /// <summary><c>WebRtc:MaxSessionsPerPrincipal</c>.</summary>
    PerPrincipal,
}
