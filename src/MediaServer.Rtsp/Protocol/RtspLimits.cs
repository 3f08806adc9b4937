namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Bounds on what one RTSP connection may make the server buffer. Bound from configuration
/// "Rtsp:Limits"; the defaults fit every real client (ffmpeg, VLC/live555, GStreamer, cameras)
/// with a wide margin.
/// </summary>
public sealed class RtspLimits
{
    /// <summary>
    /// Longest request line, counted from the start of the request up to but not including its LF
    /// (so the CR and any empty lines before the request, which are ignored, count too).
    /// </summary>
    public int MaxRequestLineLength { get; set; } = 4096;

    /// <summary>Most bytes of header fields after the request line, line endings and the final empty line included.</summary>
    public int MaxHeaderBytes { get; set; } = 16384;

    /// <summary>Most header fields in one request.</summary>
    public int MaxHeaderCount { get; set; } = 64;

    /// <summary>Largest Content-Length accepted (SDP bodies of ANNOUNCE, SET_PARAMETER payloads).</summary>
    public int MaxBodyLength { get; set; } = 65536;

    /// <summary>Seconds a request may take to arrive in full once its first byte has; a slower one closes the connection.</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest interleaved frame payload accepted; 65535 is the most the 16-bit length field can say.</summary>
    public int MaxInterleavedFrameLength { get; set; } = 65535;
}
