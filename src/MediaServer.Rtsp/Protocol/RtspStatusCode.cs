namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// The RFC 2326 §7.1.1 status codes a server sends. RTSP reuses HTTP's numbering but adds its own
/// 45x codes and renames a few (302 is "Moved Temporarily", 414 "Request-URI Too Large").
/// </summary>
public enum RtspStatusCode
{
    Ok = 200,
    MovedPermanently = 301,
    MovedTemporarily = 302,
    BadRequest = 400,
    Unauthorized = 401,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    NotAcceptable = 406,
    RequestTimeout = 408,
    RequestEntityTooLarge = 413,
    RequestUriTooLarge = 414,
    UnsupportedMediaType = 415,
    ParameterNotUnderstood = 451,
    NotEnoughBandwidth = 453,
    SessionNotFound = 454,
    MethodNotValidInThisState = 455,
    HeaderFieldNotValidForResource = 456,
    InvalidRange = 457,
    AggregateOperationNotAllowed = 459,
    OnlyAggregateOperationAllowed = 460,
    UnsupportedTransport = 461,
    InternalServerError = 500,
    NotImplemented = 501,
    ServiceUnavailable = 503,
    RtspVersionNotSupported = 505,
    OptionNotSupported = 551,
}
