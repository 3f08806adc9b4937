using System.Net;

namespace MediaServer;

/// <summary>One TCP listener as the start-up log names it: <c>rtsp://127.0.0.1:8554 (Rtsp:Port)</c>.</summary>
internal sealed record Listener(string Setting, string Scheme, IPEndPoint EndPoint)
{
    public override string ToString() => $"{Scheme}://{EndPoint} ({Setting})";
}
