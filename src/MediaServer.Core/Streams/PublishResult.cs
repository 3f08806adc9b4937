namespace MediaServer.Core.Streams;

/// <summary>What happened to one RTP packet offered by a publisher.</summary>
public enum PublishResult
{
    Published,
    UnknownTrack,
    TooLarge,
    MalformedRtp,
    StreamClosed,

    /// <summary>The packet's SSRC is not the one the track's first packet locked (invariant 7).</summary>
    SsrcMismatch,
}
