namespace MediaServer.Rtsp.Client;

/// <summary>
/// Where a track's SETUP goes: its <c>a=control</c> resolved against the presentation's base URL
/// (RFC 2326 §C.1.1: Content-Base, else Content-Location, else the DESCRIBE's URL).
/// </summary>
internal static class ControlUrl
{
    public static string Resolve(string baseUrl, string? control)
    {
        if (string.IsNullOrWhiteSpace(control) || control == "*")
        {
            return baseUrl;
        }

        if (control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || control.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return WithoutCredentials(control);
        }

        // Cameras mean "append", also after a query (rtsp://cam/live?channel=1 + trackID=0 is
        // rtsp://cam/live?channel=1/trackID=0), which RFC 3986 resolution would not give; ffmpeg,
        // live555 and gortsplib all append.
        return baseUrl.EndsWith('/') ? baseUrl + control.TrimStart('/') : baseUrl + "/" + control.TrimStart('/');
    }

    /// <summary>A URL a camera wrote may name credentials; requests never carry them in the URL.</summary>
    public static string WithoutCredentials(string url)
    {
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return url;
        }

        int authorityStart = schemeEnd + 3;
        int authorityEnd = url.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        int at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        return at < 0 ? url : url[..authorityStart] + url[(at + 1)..];
    }
}
