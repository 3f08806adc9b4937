namespace MediaServer.Rtsp.Client;

/// <summary>The camera answered DESCRIBE with a redirect (3xx) to <see cref="Location"/>: the open starts over there.</summary>
internal sealed class CameraRedirect(string location) : Exception($"redirected to {location}")
{
    public string Location { get; } = location;
}
