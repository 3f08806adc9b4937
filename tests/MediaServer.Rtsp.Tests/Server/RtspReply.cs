namespace MediaServer.Rtsp.Tests.Server;

internal sealed record RtspReply(int Status, Dictionary<string, string> Headers, string Body, string Head = "")
{
    public string? this[string name] => Headers.TryGetValue(name, out string? v) ? v : null;

    /// <summary>Every value of a header that may repeat (WWW-Authenticate), in order.</summary>
    public IEnumerable<string> Values(string name) =>
        Head.Split("\r\n").Skip(1)
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim());
}
