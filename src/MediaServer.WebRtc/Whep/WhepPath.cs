namespace MediaServer.WebRtc.Whep;

/// <summary>The WHEP URLs of a path: <c>{path}/whep</c> takes offers, <c>{path}/whep/{id}</c> is a session's resource.</summary>
public static class WhepPath
{
    private const string Endpoint = "/whep";
    private const string Resource = "/whep/";

    /// <summary>Splits "cam1/whep" and "cam1/whep/{id}"; anything else is not a WHEP URL.</summary>
    public static bool TrySplit(string? path, out string streamPath, out string? resourceId)
    {
        streamPath = string.Empty;
        resourceId = null;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        string trimmed = path.TrimEnd('/');
        if (trimmed.EndsWith(Endpoint, StringComparison.Ordinal))
        {
            streamPath = trimmed[..^Endpoint.Length];
            return streamPath.Length > 0;
        }

        int marker = trimmed.LastIndexOf(Resource, StringComparison.Ordinal);
        if (marker <= 0)
        {
            return false;
        }

        streamPath = trimmed[..marker];
        resourceId = trimmed[(marker + Resource.Length)..];
        return resourceId.Length > 0 && !resourceId.Contains('/', StringComparison.Ordinal);
    }
}
