using System.Net;
using System.Text.Json;
using MediaServer.EndToEnd.Access;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Api;

/// <summary>
/// The API under authentication: 401 without credentials, 403 without the <c>api</c> permission,
/// and with it only the paths and sessions the principal may read (anything else is a 404);
/// ending a session also needs <c>kick</c> on its path.
/// </summary>
[Trait("Category", "EndToEnd")]
public class ApiAccessTests
{
    private static readonly string[] Users =
    [
        "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=cam-secret", "--Auth:Users:0:Permissions:0:Action=publish",
        "--Auth:Users:1:Name=ops", "--Auth:Users:1:Password=pw",
        "--Auth:Users:1:Permissions:0:Action=api", "--Auth:Users:1:Permissions:1:Action=read", "--Auth:Users:1:Permissions:2:Action=kick",
        "--Auth:Users:2:Name=alice", "--Auth:Users:2:Password=alice-pw",
        "--Auth:Users:2:Permissions:0:Action=api", "--Auth:Users:2:Permissions:1:Action=read", "--Auth:Users:2:Permissions:1:Path=~^home1/",
        "--Auth:Users:3:Name=viewer", "--Auth:Users:3:Password=viewer-pw", "--Auth:Users:3:Permissions:0:Action=read",
    ];

    private static readonly string[] Routes =
        ["v1/paths", "v1/paths/home1/cam", "v1/sessions", "v1/sessions/x", "v1/openapi.json"];

    [Fact]
    public async Task Api_needs_credentials_and_the_api_permission_and_shows_only_readable_paths_and_sessions()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Users);
        string clip = await Clips.H264Gop4sAsync();
        await using FfmpegProcess home1 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", clip);
        await using FfmpegProcess home2 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home2/cam"), "home2/cam", clip);

        using var anonymous = new ApiClient(host);
        using var viewer = new ApiClient(host, ApiClient.Basic("viewer", "viewer-pw"));
        using var wrong = new ApiClient(host, ApiClient.Basic("ops", "nope"));
        foreach (string route in Routes)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await anonymous.StatusAsync(HttpMethod.Get, route));
            Assert.Equal(HttpStatusCode.Unauthorized, await wrong.StatusAsync(HttpMethod.Get, route));
            Assert.Equal(HttpStatusCode.Forbidden, await viewer.StatusAsync(HttpMethod.Get, route));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await anonymous.StatusAsync(HttpMethod.Delete, "v1/sessions/x"));
        Assert.Equal(HttpStatusCode.Forbidden, await viewer.StatusAsync(HttpMethod.Delete, "v1/sessions/x"));

        using var ops = new ApiClient(host, ApiClient.Basic("ops", "pw"));
        JsonElement all = await ops.GetJsonAsync("v1/paths");
        Assert.Equal(["home1/cam", "home2/cam"], all.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        JsonElement[] home2Sessions = await ops.SessionsAsync("home2/cam");
        JsonElement home2Publisher = Assert.Single(home2Sessions);
        Assert.Equal("camera", home2Publisher.GetProperty("owner").GetString());

        using var alice = new ApiClient(host, ApiClient.Basic("alice", "alice-pw"));
        JsonElement mine = await alice.GetJsonAsync("v1/paths");
        Assert.Equal(["home1/cam"], mine.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("home1/cam", (await alice.GetJsonAsync("v1/paths/home1/cam")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await alice.StatusAsync(HttpMethod.Get, "v1/paths/home2/cam"));
        JsonElement aliceSessions = await alice.GetJsonAsync("v1/sessions");
        Assert.All(aliceSessions.EnumerateArray(), s => Assert.Equal("home1/cam", s.GetProperty("path").GetString()));
        Assert.Single(aliceSessions.EnumerateArray());

        // Another household's session does not exist for alice: she can neither see nor kick it.
        string home2Id = home2Publisher.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, await alice.StatusAsync(HttpMethod.Get, $"v1/sessions/{home2Id}"));
        Assert.Equal(HttpStatusCode.NotFound, await alice.StatusAsync(HttpMethod.Delete, $"v1/sessions/{home2Id}"));
        Assert.False(home2.HasExited, "home2's camera was kicked by alice: " + home2.Stderr);
        Assert.Single(await ops.SessionsAsync("home2/cam"));

        // ops may kick it: the camera's connection closes and the path goes away.
        Assert.Equal(HttpStatusCode.NoContent, await ops.StatusAsync(HttpMethod.Delete, $"v1/sessions/{home2Id}"));
        Assert.True(await Eventually.TrueAsync(() => home2.HasExited || !HasPath(host, "home2/cam"), TimeSpan.FromSeconds(30)),
            "the kicked camera's path is still published");
        Assert.Equal(HttpStatusCode.NotFound, await ops.StatusAsync(HttpMethod.Get, $"v1/sessions/{home2Id}"));
        Assert.False(home1.HasExited, "home1's camera stopped: " + home1.Stderr);
    }

    [Fact]
    public async Task Kicking_a_session_needs_the_kick_permission_on_its_path_not_just_read()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=cam-secret", "--Auth:Users:0:Permissions:0:Action=publish",
            "--Auth:Users:1:Name=watcher", "--Auth:Users:1:Password=watcher-pw",
            "--Auth:Users:1:Permissions:0:Action=api", "--Auth:Users:1:Permissions:1:Action=read", "--Auth:Users:1:Permissions:1:Path=home1/cam",
            "--Auth:Users:2:Name=elsewhere", "--Auth:Users:2:Password=elsewhere-pw",
            "--Auth:Users:2:Permissions:0:Action=api", "--Auth:Users:2:Permissions:1:Action=read",
            "--Auth:Users:2:Permissions:2:Action=kick", "--Auth:Users:2:Permissions:2:Path=~^home2/",
            "--Auth:Users:3:Name=guard", "--Auth:Users:3:Password=guard-pw",
            "--Auth:Users:3:Permissions:0:Action=api", "--Auth:Users:3:Permissions:1:Action=read", "--Auth:Users:3:Permissions:1:Path=home1/cam",
            "--Auth:Users:3:Permissions:2:Action=kick", "--Auth:Users:3:Permissions:2:Path=home1/cam");
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());
        using var watcher = new ApiClient(host, ApiClient.Basic("watcher", "watcher-pw"));
        string publisherId = Assert.Single(await watcher.SessionsAsync("home1/cam")).GetProperty("id").GetString()!;

        // Allowed to watch (and to see the session) is not allowed to throw the camera off.
        using var watcherHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        watcherHttp.DefaultRequestHeaders.Authorization = ApiClient.Basic("watcher", "watcher-pw");
        using HttpResponseMessage refused = await watcherHttp.DeleteAsync($"v1/sessions/{publisherId}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        using (JsonDocument error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Contains("kick", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // Kick on another path is no kick on this one.
        using var elsewhere = new ApiClient(host, ApiClient.Basic("elsewhere", "elsewhere-pw"));
        Assert.Equal(HttpStatusCode.Forbidden, await elsewhere.StatusAsync(HttpMethod.Delete, $"v1/sessions/{publisherId}"));

        // The camera keeps publishing: its packets keep arriving on the same session.
        MediaStream stream = host.Services.GetRequiredService<StreamRegistry>().Streams.Single(s => s.Id.Path == "home1/cam");
        long packets = stream.PacketsIn;
        Assert.True(await Eventually.TrueAsync(() => stream.PacketsIn > packets + 50, TimeSpan.FromSeconds(30)), "the camera stopped publishing");
        Assert.False(camera.HasExited, "the camera was kicked by a watcher: " + camera.Stderr);
        Assert.Equal(publisherId, Assert.Single(await watcher.SessionsAsync("home1/cam")).GetProperty("id").GetString());

        using var guard = new ApiClient(host, ApiClient.Basic("guard", "guard-pw"));
        Assert.Equal(HttpStatusCode.NoContent, await guard.StatusAsync(HttpMethod.Delete, $"v1/sessions/{publisherId}"));
        Assert.True(await Eventually.TrueAsync(() => camera.HasExited || !HasPath(host, "home1/cam"), TimeSpan.FromSeconds(30)),
            "the kicked camera's path is still published");
    }

    private static bool HasPath(MediaServerHost host, string path) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MediaServer.Core.Streams.StreamRegistry>(host.Services)
            .Streams.Any(s => s.Id.Path == path);
}
