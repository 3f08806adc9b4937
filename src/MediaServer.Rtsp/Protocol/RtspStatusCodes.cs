namespace MediaServer.Rtsp.Protocol;

/// <summary>Reason phrases for status codes, worded as RFC 2326 §7.1.1 words them.</summary>
public static class RtspStatusCodes
{
    /// <summary>
    /// The reason phrase for a code. Codes the server never sends get a generic phrase by class
    /// rather than an exception, because the phrase is informational only (clients act on the number).
    /// </summary>
    public static string ReasonPhrase(int code) => code switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Time-out",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Large",
        415 => "Unsupported Media Type",
        451 => "Parameter Not Understood",
        453 => "Not Enough Bandwidth",
        454 => "Session Not Found",
        455 => "Method Not Valid in This State",
        456 => "Header Field Not Valid for Resource",
        457 => "Invalid Range",
        459 => "Aggregate Operation Not Allowed",
        460 => "Only Aggregate Operation Allowed",
        461 => "Unsupported Transport",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "RTSP Version Not Supported",
        551 => "Option not supported",
        >= 200 and < 300 => "Success",
        >= 300 and < 400 => "Redirection",
        >= 400 and < 500 => "Client Error",
        _ => "Server Error",
    };

    /// <inheritdoc cref="ReasonPhrase(int)"/>
    public static string ReasonPhrase(RtspStatusCode code) => ReasonPhrase((int)code);
}
