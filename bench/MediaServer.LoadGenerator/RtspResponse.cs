namespace MediaServer.LoadGenerator;

/// <summary>What the generator needs of an RTSP response: status, a few headers, the body.</summary>
internal sealed record RtspResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The session id without its ";timeout=" parameter.</summary>
    public string Session => (Header("Session") ?? throw new InvalidOperationException("The response has no Session header.")).Split(';')[0].Trim();
}
