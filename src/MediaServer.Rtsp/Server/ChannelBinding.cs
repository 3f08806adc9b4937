namespace MediaServer.Rtsp.Server;

/// <summary>What an interleaved channel number of one connection carries, set by SETUP.</summary>
internal readonly record struct ChannelBinding(RtspSession? Session, int TrackIndex, bool IsRtcp);
