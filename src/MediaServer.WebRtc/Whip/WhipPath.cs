namespace MediaServer.WebRtc.Whip;

/// <summary>The WHIP URLs of a path: <c>{path}/whip</c> takes offers, <c>{path}/whip/{id}</c> is a session's resource.</summary>
public static class WhipPath
{
    private const string Endpoint = "/whip";
    private const string Resource = "/whip/";

    /// <summary>Splits "cam1/whip" and "cam1/whip/{id}"; anything else is not a WHIP URL.</summary>
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
