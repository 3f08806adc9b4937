namespace MediaServer.Rtsp.Protocol;

/// <summary>Turns a <see cref="RtspRejectionReason"/> into the response the server sends before closing.</summary>
public static class RtspRejection
{
    /// <summary>
    /// The RTSP status code for a rejection. RTSP 1.0 has no 431, so oversized header sections
    /// get 400; an over-long request line is almost always an over-long URI, hence 414.
    /// </summary>
    public static int StatusCode(RtspRejectionReason r) => r switch
    {
        RtspRejectionReason.UnsupportedVersion => (int)RtspStatusCode.RtspVersionNotSupported,
        RtspRejectionReason.BodyTooLarge => (int)RtspStatusCode.RequestEntityTooLarge,
        RtspRejectionReason.RequestLineTooLong => (int)RtspStatusCode.RequestUriTooLarge,
        RtspRejectionReason.InvalidRequestLine
            or RtspRejectionReason.InvalidHeader
            or RtspRejectionReason.HeadersTooLarge
            or RtspRejectionReason.TooManyHeaders
            or RtspRejectionReason.InvalidContentLength
            or RtspRejectionReason.MissingCSeq => (int)RtspStatusCode.BadRequest,

        // None is not a rejection: asking for its status code is a bug in the caller.
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, "Not a rejection reason."),
    };

    /// <summary>The <c>Rtsp:Limits</c> bound a rejection is about, as the label of its metric; null for malformed input.</summary>
    public static string? ExceededLimit(RtspRejectionReason r) => r switch
    {
        RtspRejectionReason.HeadersTooLarge => "rtsp_header_bytes",
        RtspRejectionReason.TooManyHeaders => "rtsp_header_count",
        RtspRejectionReason.BodyTooLarge => "rtsp_body_bytes",
        RtspRejectionReason.RequestLineTooLong => "rtsp_request_line",
        _ => null,
    };

    /// <summary>A short human-readable description, for logs.</summary>
    public static string Describe(RtspRejectionReason r) => r switch
    {
        RtspRejectionReason.None => "no rejection",
        RtspRejectionReason.InvalidRequestLine => "invalid request line",
        RtspRejectionReason.UnsupportedVersion => "unsupported RTSP version",
        RtspRejectionReason.InvalidHeader => "invalid header line",
        RtspRejectionReason.HeadersTooLarge => "header section too large",
        RtspRejectionReason.TooManyHeaders => "too many header fields",
        RtspRejectionReason.BodyTooLarge => "body larger than allowed",
        RtspRejectionReason.InvalidContentLength => "invalid Content-Length",
        RtspRejectionReason.MissingCSeq => "missing or invalid CSeq",
        RtspRejectionReason.RequestLineTooLong => "request line too long",
        _ => "unknown rejection",
    };
}
