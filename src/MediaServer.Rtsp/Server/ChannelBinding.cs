namespace MediaServer.Rtsp.Server;

/// <summary>
/// What an interleaved channel number of one connection carries, set by SETUP. When its session
/// ends the channel keeps <see cref="SessionEnded"/>, so frames a client still had in flight are
/// told apart from frames on a channel nobody ever set up.
/// </summary>
internal readonly record struct ChannelBinding(RtspSession? Session, int TrackIndex, bool IsRtcp, bool SessionEnded = false)
{
    /// <summary>A channel whose session has ended (TEARDOWN, or the server closed it); free for a new SETUP.</summary>
    public static ChannelBinding Ended => new(null, -1, false, SessionEnded: true);
}
