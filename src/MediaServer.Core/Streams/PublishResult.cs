namespace MediaServer.Core.Streams;

/// <summary>What happened to one RTP packet offered by a publisher.</summary>
public enum PublishResult
{
    Published,
    UnknownTrack,
    TooLarge,
    MalformedRtp,
    StreamClosed,
}
