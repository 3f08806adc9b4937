namespace MediaServer.Rtsp.Tests.Server;

internal sealed record RtspReply(int Status, Dictionary<string, string> Headers, string Body)
{
    public string? this[string name] => Headers.TryGetValue(name, out string? v) ? v : null;
}
