using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;

namespace MediaServer.EndToEnd.Operations;

/// <summary>A WebRTC session's log lines carry its scope, as an RTSP connection's do.</summary>
[Trait("Category", "EndToEnd")]
public class WebRtcLogScopeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_webrtc_session_logs_in_its_own_scope_from_its_handshake_to_its_close()
    {
        await using ServerProcess server = ServerProcess.Start("--Logging:Format=json");
        await using FfmpegProcess camera = await ProcessCamera.PublishAsync(server, Deadline);
        using var http = new HttpClient();
        await using (WhepClient viewer = await WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{server.HttpPort}/cam1/whep"), Deadline))
        {
            Assert.True(await Eventually.TrueAsync(() => viewer.RtpPackets > 0, Deadline), "no media reached the viewer");
        }

        Assert.True(await server.WaitForOutputAsync(" closed: ", Deadline), server.Output);
        string[] lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Logged by the DTLS handshake's flow (on the thread pool, started from the UDP thread).
        using JsonDocument connected = JsonDocument.Parse(Assert.Single(lines, l => l.Contains(" connected from ", StringComparison.Ordinal)));
        string sessionId = connected.RootElement.GetProperty("State").GetProperty("SessionId").GetString()!;
        AssertInSessionScope(connected.RootElement, sessionId);

        // Logged by the close the DELETE asked for (on an HTTP request's flow).
        using JsonDocument closed = JsonDocument.Parse(Assert.Single(lines, l => l.Contains(" closed: ", StringComparison.Ordinal)));
        Assert.Equal(sessionId, closed.RootElement.GetProperty("State").GetProperty("SessionId").GetString());
        AssertInSessionScope(closed.RootElement, sessionId);
    }

    private static void AssertInSessionScope(JsonElement line, string sessionId)
    {
        JsonElement[] scopes = line.TryGetProperty("Scopes", out JsonElement s) ? [.. s.EnumerateArray()] : [];
        JsonElement scope = Assert.Single(scopes, e => e.ValueKind == JsonValueKind.Object &&
            e.TryGetProperty("SessionId", out JsonElement id) && id.GetString() == sessionId);
        Assert.Equal("cam1", scope.GetProperty("Path").GetString());
        Assert.True(scope.TryGetProperty("Principal", out _), scope.ToString());
    }
}
