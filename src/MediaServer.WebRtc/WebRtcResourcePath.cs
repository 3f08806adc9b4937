namespace MediaServer.WebRtc;

/// <summary>
/// The URLs of a WebRTC HTTP protocol on a path: <c>{path}/whep</c> (or <c>/whip</c>) takes offers,
/// <c>{path}/whep/{id}</c> is a session's resource. WHEP and WHIP cut their URLs the same way.
/// </summary>
public sealed class WebRtcResourcePath
{
    private readonly string _endpoint;
    private readonly string _resource;

    private WebRtcResourcePath(string name)
    {
        Name = name;
        _endpoint = "/" + name;
        _resource = "/" + name + "/";
    }

    /// <summary>The protocol's word in its URLs: <c>whep</c> or <c>whip</c>.</summary>
    public string Name { get; }

    /// <summary>Viewers' URLs (WHEP).</summary>
    public static WebRtcResourcePath Whep { get; } = new("whep");

    /// <summary>Publishers' URLs (RFC 9725, WHIP).</summary>
    public static WebRtcResourcePath Whip { get; } = new("whip");

    /// <summary>Splits "cam1/whep" and "cam1/whep/{id}"; anything else is not one of this protocol's URLs.</summary>
    public bool TrySplit(string? path, out string streamPath, out string? resourceId)
    {
        streamPath = string.Empty;
        resourceId = null;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        string trimmed = path.TrimEnd('/');
        if (trimmed.EndsWith(_endpoint, StringComparison.Ordinal))
        {
            streamPath = trimmed[..^_endpoint.Length];
            return streamPath.Length > 0;
        }

        int marker = trimmed.LastIndexOf(_resource, StringComparison.Ordinal);
        if (marker <= 0)
        {
            return false;
        }

        streamPath = trimmed[..marker];
        resourceId = trimmed[(marker + _resource.Length)..];
        return resourceId.Length > 0 && !resourceId.Contains('/', StringComparison.Ordinal);
    }
}
