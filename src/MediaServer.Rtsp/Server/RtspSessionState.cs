namespace MediaServer.Rtsp.Server;

/// <summary>
/// Where a request finds its session (RFC 2326 Appendix A, as gortsplib's server session names
/// the states): a reader goes PrePlay -> Play, a publisher PreRecord -> Record.
/// </summary>
internal enum RtspSessionState
{
    /// <summary>The request names no session.</summary>
    Initial,

    /// <summary>A reader's tracks are set up; PLAY has not started it, or PAUSE stopped it.</summary>
    PrePlay,

    /// <summary>A reader's egress runs.</summary>
    Play,

    /// <summary>A publisher's tracks are set up; RECORD has not started it.</summary>
    PreRecord,

    /// <summary>A publisher's packets reach its readers.</summary>
    Record,
}
