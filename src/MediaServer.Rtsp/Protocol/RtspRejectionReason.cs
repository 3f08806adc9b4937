namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Why a request was refused before it reached the session layer (the RTSP counterpart of
/// Kestrel's RequestRejectionReason). After any rejection the connection's byte stream can no
/// longer be trusted to be framed correctly, so the caller answers and closes.
/// </summary>
public enum RtspRejectionReason
{
    None,

    /// <summary>The request line is not "METHOD SP URI SP RTSP/x.y", or it holds bytes a request line may not.</summary>
    InvalidRequestLine,

    /// <summary>The request names an RTSP version other than 1.0 (for example RTSP/2.0).</summary>
    UnsupportedVersion,

    /// <summary>A header line has no colon, an invalid name, control bytes, or starts with whitespace (obsolete folding).</summary>
    InvalidHeader,

    /// <summary>The header fields exceed <see cref="RtspLimits.MaxHeaderBytes"/>.</summary>
    HeadersTooLarge,

    /// <summary>More than <see cref="RtspLimits.MaxHeaderCount"/> header fields.</summary>
    TooManyHeaders,

    /// <summary>Content-Length exceeds <see cref="RtspLimits.MaxBodyLength"/>.</summary>
    BodyTooLarge,

    /// <summary>Content-Length is not a decimal number, overflows, or appears twice with different values.</summary>
    InvalidContentLength,

    /// <summary>
    /// Not produced by the parser (a request without CSeq still parses, with CSeq -1); the
    /// session layer uses it when it refuses such a request.
    /// </summary>
    MissingCSeq,

    /// <summary>The request line exceeds <see cref="RtspLimits.MaxRequestLineLength"/>.</summary>
    RequestLineTooLong,
}
