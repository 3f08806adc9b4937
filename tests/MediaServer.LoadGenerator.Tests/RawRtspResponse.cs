namespace MediaServer.LoadGenerator.Tests;

/// <summary>An RTSP answer as <see cref="RawRtspClient"/> read it.</summary>
internal sealed record RawRtspResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public string Session => Header("Session")!.Split(';')[0];

    public override string ToString() => $"{Status} {string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}";
}
