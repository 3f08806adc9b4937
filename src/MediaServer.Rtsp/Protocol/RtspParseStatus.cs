namespace MediaServer.Rtsp.Protocol;

/// <summary>The outcome of one <see cref="RtspRequestParser.TryParseRequest"/> call.</summary>
public enum RtspParseStatus
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole request (header section and body) was parsed and consumed.</summary>
    Complete,

    /// <summary>The bytes are not an acceptable request; see the rejection reason.</summary>
    Rejected,
}
