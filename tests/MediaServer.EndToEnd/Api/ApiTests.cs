using System.Net;
using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;

namespace MediaServer.EndToEnd.Api;

/// <summary>
/// The REST API against a real ffmpeg camera, ffmpeg RTSP players and the in-repo WHEP client:
/// what /v1/paths and /v1/sessions report, and that kicking a session really disconnects its
/// client while everyone else carries on.
/// </summary>
[Trait("Category", "EndToEnd")]
public class ApiTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static FfmpegProcess StartReader(MediaServerHost host, string path, string transport = "tcp") =>
        Player.Start(host, path, transport, "-c", "copy", "-f", "null", "-");

    private static Task<WhepClient> ConnectWhepAsync(MediaServerHost host, string path, HttpClient http) =>
        WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep"), Deadline);

    private static async Task<JsonElement> WaitForPathAsync(ApiClient api, string path, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        bool reached = await EventuallyAsync(async () =>
        {
            last = await api.GetJsonAsync($"v1/paths/{path}");
            return condition(last);
        });
        Assert.True(reached, $"{path} never reached the expected state: {last}");
        return last;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        DateTime giveUp = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    [Fact]
    public async Task Api_paths_show_which_video_tracks_carry_b_frames()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera withB = await Camera.StartAsync(host, "bcam", await Clips.H264BFramesAsync());
        await using Camera withoutB = await Camera.StartAsync(host, "pcam", await Clips.H264Gop4sAsync());
        using var api = new ApiClient(host);

        JsonElement flagged = await WaitForPathAsync(api, "bcam", p => p.GetProperty("tracks")[0].GetProperty("bFrames").GetBoolean());
        await withoutB.WaitUntilSentAsync(withoutB.FramesSent + 25, Deadline);
        JsonElement plain = await WaitForPathAsync(api, "pcam", p => p.GetProperty("packetsIn").GetInt64() > 0);

        Assert.Equal("H264", flagged.GetProperty("tracks")[0].GetProperty("codec").GetString());
        Assert.False(Assert.Single(plain.GetProperty("tracks").EnumerateArray()).GetProperty("bFrames").GetBoolean());
    }

    [Fact]
    public async Task Api_paths_show_the_publisher_tracks_readers_per_protocol_and_rates()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using var api = new ApiClient(host);

        JsonElement idle = await WaitForPathAsync(api, "cam1", p => p.GetProperty("bitsPerSecondIn").GetInt64() > 0);
        Assert.Equal("ready", idle.GetProperty("state").GetString());
        Assert.Equal(0, idle.GetProperty("readers").GetProperty("total").GetInt32());
        JsonElement track = Assert.Single(idle.GetProperty("tracks").EnumerateArray());
        Assert.Equal("H264", track.GetProperty("codec").GetString());
        Assert.Equal("video", track.GetProperty("media").GetString());
        Assert.Equal(90000, track.GetProperty("clockRate").GetInt32());
        JsonElement publisher = idle.GetProperty("publisher");
        Assert.Equal("rtsp", publisher.GetProperty("protocol").GetString());
        Assert.StartsWith("127.0.0.1:", publisher.GetProperty("remoteAddress").GetString(), StringComparison.Ordinal);
        Assert.Equal(32, publisher.GetProperty("sessionId").GetString()!.Length);
        Assert.True(idle.GetProperty("created").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.True(idle.GetProperty("bytesIn").GetInt64() > 0);
        Assert.True(idle.GetProperty("packetsIn").GetInt64() > 0);

        await using FfmpegProcess reader = StartReader(host, "cam1");
        using var http = new HttpClient();
        await using WhepClient whep = await ConnectWhepAsync(host, "cam1", http);
        JsonElement watched = await WaitForPathAsync(api, "cam1", p =>
            p.GetProperty("readers").GetProperty("rtsp").GetInt32() == 1
            && p.GetProperty("readers").GetProperty("webRtc").GetInt32() == 1
            && p.GetProperty("bitsPerSecondOut").GetInt64() > 0);
        Assert.Equal(2, watched.GetProperty("readers").GetProperty("total").GetInt32());

        JsonElement list = await api.GetJsonAsync("v1/paths");
        JsonElement listed = Assert.Single(list.EnumerateArray());
        Assert.Equal("cam1", listed.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Get, "v1/paths/cam2"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Get, "v1/paths/..%2Fcam1"));
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Api_sessions_list_both_protocols_and_a_kicked_reader_disconnects_while_the_others_play_on()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using var api = new ApiClient(host);
        await using FfmpegProcess kicked = StartReader(host, "cam1");
        await using FfmpegProcess stays = StartReader(host, "cam1", "udp");
        using var http = new HttpClient();
        await using WhepClient whep = await ConnectWhepAsync(host, "cam1", http);

        JsonElement[] rtsp = [];
        Assert.True(await EventuallyAsync(async () =>
        {
            rtsp = await api.SessionsAsync("cam1", "rtsp");
            return rtsp.Count(s => s.GetProperty("mode").GetString() == "read" && s.GetProperty("bytesSent").GetInt64() > 0) == 2;
        }), "the RTSP readers never showed up: " + string.Join(", ", rtsp));
        JsonElement published = Assert.Single(rtsp, s => s.GetProperty("mode").GetString() == "publish");
        Assert.Equal("tcp", published.GetProperty("transport").GetString());
        Assert.True(published.GetProperty("bytesReceived").GetInt64() > 0);
        Assert.Equal("anonymous", published.GetProperty("owner").GetString());
        JsonElement[] readers = [.. rtsp.Where(s => s.GetProperty("mode").GetString() == "read")];
        Assert.Equal(["tcp", "udp"], readers.Select(s => s.GetProperty("transport").GetString()).Order());
        string kickedId = readers.Single(s => s.GetProperty("transport").GetString() == "tcp").GetProperty("id").GetString()!;

        JsonElement[] webRtc = [];
        Assert.True(await EventuallyAsync(async () =>
        {
            webRtc = await api.SessionsAsync("cam1", "webrtc");
            return webRtc.Length == 1 && webRtc[0].GetProperty("bytesSent").GetInt64() > 0;
        }), "the WHEP session never showed up sending: " + string.Join(", ", webRtc));
        JsonElement whepSession = webRtc[0];
        Assert.Equal("read", whepSession.GetProperty("mode").GetString());
        Assert.Equal("connected", whepSession.GetProperty("state").GetString());
        Assert.StartsWith("127.0.0.1:", whepSession.GetProperty("remoteAddress").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await api.SessionsAsync("cam1")).Length);
        Assert.Equal(HttpStatusCode.BadRequest, await api.StatusAsync(HttpMethod.Get, "v1/sessions?protocol=hls"));
        JsonElement one = await api.GetJsonAsync($"v1/sessions/{kickedId}");
        Assert.Equal("rtsp", one.GetProperty("protocol").GetString());

        // Kick the TCP reader: its ffmpeg loses the connection and exits; nobody else notices.
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, $"v1/sessions/{kickedId}"));
        Assert.True(await kicked.WaitForExitAsync(Deadline), "the kicked player is still running: " + kicked.Stderr);
        Assert.True(await EventuallyAsync(async () => (await api.SessionsAsync("cam1", "rtsp")).Length == 2), "the kicked session is still listed");
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, $"v1/sessions/{kickedId}"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Get, $"v1/sessions/{kickedId}"));
        long whepPackets = whep.RtpPackets;
        Assert.True(await Eventually.TrueAsync(() => whep.RtpPackets > whepPackets + 50, Deadline), "the WHEP viewer stopped receiving");
        Assert.False(stays.HasExited, "the other RTSP player stopped: " + stays.Stderr);
        Assert.False(camera.Process.HasExited, "the camera stopped: " + camera.Process.Stderr);

        // Kick the WHEP session: the server forgets it, the RTSP players and camera carry on.
        string whepId = whepSession.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, $"v1/sessions/{whepId}"));
        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline), "the WHEP session is still on the server");
        Assert.Empty(await api.SessionsAsync("cam1", "webrtc"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, $"v1/sessions/{whepId}"));
        JsonElement after = await WaitForPathAsync(api, "cam1", p =>
            p.GetProperty("readers").GetProperty("total").GetInt32() == 1
            && p.GetProperty("readers").GetProperty("rtsp").GetInt32() == 1);
        Assert.Equal("ready", after.GetProperty("state").GetString());
        Assert.False(stays.HasExited, "the other RTSP player stopped: " + stays.Stderr);
        Assert.False(camera.Process.HasExited, "the camera stopped: " + camera.Process.Stderr);

        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, "v1/sessions/00000000000000000000000000000000"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Get, "v1/sessions/nope"));
        Assert.Equal(0, host.IsolationViolations);
    }
}
