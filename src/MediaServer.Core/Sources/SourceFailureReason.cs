namespace MediaServer.Core.Sources;

/// <summary>
/// Why a pulled source failed, as the <c>reason</c> label of <c>mediaserver_source_failures_total</c>
/// and in <c>/v1/paths</c>. Few and stable, so that an operator can alert on them.
/// </summary>
public enum SourceFailureReason
{
    /// <summary>The camera's address did not resolve, or refused or dropped the TCP connection.</summary>
    Unreachable,

    /// <summary>A step (connect, a request, the first packet) took longer than its timeout.</summary>
    Timeout,

    /// <summary>The camera answered 401 or 403 to the configured credentials (or none were configured).</summary>
    Unauthorized,

    /// <summary>The camera answered 404: no such stream on it.</summary>
    NotFound,

    /// <summary>The camera refused a request with another status (454, 461, 5xx...).</summary>
    Refused,

    /// <summary>The camera sent something that is not RTSP, SDP or RTP as it should be.</summary>
    Protocol,

    /// <summary>The camera offers no track this server can carry.</summary>
    UnsupportedMedia,

    /// <summary>No media arrived for the read timeout while playing.</summary>
    NoMedia,

    /// <summary>The camera closed the connection or ended the session (RTCP BYE, TEARDOWN).</summary>
    Ended,

    /// <summary>The path could not be published (the stream limit, or the path is someone else's).</summary>
    PublishRefused,
}
