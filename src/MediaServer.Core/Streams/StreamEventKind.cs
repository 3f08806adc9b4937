namespace MediaServer.Core.Streams;

/// <summary>What happened to a path, in the words MediaMTX users know from its hooks.</summary>
public enum StreamEventKind
{
    /// <summary>A publisher started sending (RTSP RECORD).</summary>
    Ready,

    /// <summary>The publisher left or was replaced.</summary>
    NotReady,

    /// <summary>A reader started playing (RTSP PLAY, a WHEP session).</summary>
    Read,

    /// <summary>A reader left.</summary>
    Unread,
}
