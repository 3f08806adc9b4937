using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Api;

/// <summary>Path rules and users replaced through /v1/config while the server runs.</summary>
[Trait("Category", "EndToEnd")]
public class ConfigApiTests
{
    private static readonly string[] Users =
    [
        "--Auth:Users:0:Name=admin", "--Auth:Users:0:Password=admin-pw",
        "--Auth:Users:0:Permissions:0:Action=config", "--Auth:Users:0:Permissions:1:Action=api",
        "--Auth:Users:1:Name=alice", "--Auth:Users:1:Password=alice-pw", "--Auth:Users:1:Permissions:0:Action=api",
        "--Auth:Users:2:Name=camera", "--Auth:Users:2:Password=cam-pw", "--Auth:Users:2:Permissions:0:Action=publish",
        "--Paths:0:Name=cam1",
    ];

    private static HttpClient Client(MediaServerHost host, string user, string password) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Path_rules_change_at_once_a_bad_set_changes_nothing_and_only_config_may_touch_them()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Users);
        using HttpClient admin = Client(host, "admin", "admin-pw");
        using HttpClient alice = Client(host, "alice", "alice-pw");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("v1/config/paths")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PutAsync("v1/config/paths", Json("""[{"name":"~^.+$"}]"""))).StatusCode);
        Assert.Contains("\"cam1\"", await admin.GetStringAsync("v1/config/paths"), StringComparison.Ordinal);

        string clip = await Clips.H264Gop4sAsync();
        string camera = $"rtsp://camera:cam-pw@127.0.0.1:{host.RtspPort}";
        await using FfmpegProcess cam1 = await Access.UrlCamera.StartAsync(host, camera + "/cam1", "cam1", clip);
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam2"));

        using HttpResponseMessage bad = await admin.PutAsync("v1/config/paths", Json("""[{"name":"~(["}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("error", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("v1/config/paths", Json("not json"))).StatusCode);

        using HttpResponseMessage put = await admin.PutAsync("v1/config/paths", Json("""[{"name":"cam1"},{"name":"cam2","publish":true,"read":true}]"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await using FfmpegProcess cam2 = await Access.UrlCamera.StartAsync(host, camera + "/cam2", "cam2", clip);
        Assert.False(cam1.HasExited, "the camera of the unchanged path was dropped: " + cam1.Stderr);
        Assert.Equal(2, host.Services.GetRequiredService<Core.Streams.StreamRegistry>().Count);
    }

    [Fact]
    public async Task Users_are_shown_without_passwords_and_a_new_user_logs_in_at_once()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Users);
        using HttpClient admin = Client(host, "admin", "admin-pw");
        string listed = await admin.GetStringAsync("v1/config/users");
        Assert.Contains("\"alice\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"passwordKind\":\"plain\"", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("alice-pw", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-pw", listed, StringComparison.Ordinal);

        using HttpClient dave = Client(host, "dave", "dave-pw");
        Assert.Equal(HttpStatusCode.Unauthorized, (await dave.GetAsync("v1/paths")).StatusCode);
        string replacement = """
            [
              {"name":"admin","password":"admin-pw","permissions":[{"action":"config"}]},
              {"name":"dave","password":"dave-pw","permissions":[{"action":"api"},{"action":"kick","path":"~^home1/"}]}
            ]
            """;
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("v1/config/users", Json("""[{"name":"x","permissions":[{"action":"fly"}]}]"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("v1/config/users", Json(replacement))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("v1/paths")).StatusCode);
        Assert.Contains("{\"action\":\"kick\",\"path\":\"~^home1/\"}", await admin.GetStringAsync("v1/config/users"), StringComparison.Ordinal);
        using HttpClient alice = Client(host, "alice", "alice-pw");
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("v1/paths")).StatusCode);
    }

    [Fact]
    public async Task A_reader_whose_permission_is_taken_away_is_disconnected_and_everyone_else_goes_on()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
        [
            .. Users,
            "--Auth:Users:3:Name=bob", "--Auth:Users:3:Password=bob-pw", "--Auth:Users:3:Permissions:0:Action=read",
            "--Auth:Users:1:Permissions:1:Action=read",
        ]);
        using HttpClient admin = Client(host, "admin", "admin-pw");
        await using FfmpegProcess camera = await Access.UrlCamera.StartAsync(host, $"rtsp://camera:cam-pw@127.0.0.1:{host.RtspPort}/cam1", "cam1", await Clips.H264Gop4sAsync());
        FfmpegProcess Reader(string user, string password) => FfmpegProcess.Start(
            "-loglevel", "info", "-stats", "-rtsp_transport", "tcp", "-i", $"rtsp://{user}:{password}@127.0.0.1:{host.RtspPort}/cam1", "-map", "0:v", "-f", "null", "-");
        await using FfmpegProcess alice = Reader("alice", "alice-pw");
        await using FfmpegProcess bob = Reader("bob", "bob-pw");
        TimeSpan deadline = TimeSpan.FromSeconds(30);
        Assert.True(await alice.WaitForStderrAsync(s => s.Contains("frame=", StringComparison.Ordinal), deadline), alice.Stderr);
        Assert.True(await bob.WaitForStderrAsync(s => s.Contains("frame=", StringComparison.Ordinal), deadline), bob.Stderr);

        string users = """
            [
              {"name":"admin","password":"admin-pw","permissions":[{"action":"config"},{"action":"api"}]},
              {"name":"alice","password":"alice-pw","permissions":[{"action":"api"}]},
              {"name":"camera","password":"cam-pw","permissions":[{"action":"publish"}]},
              {"name":"bob","password":"bob-pw","permissions":[{"action":"read"}]}
            ]
            """;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("v1/config/users", Json(users))).StatusCode);

        Assert.True(await alice.WaitForExitAsync(deadline), "the reader whose permission went is still connected");
        Assert.False(bob.HasExited, "an unaffected reader was dropped: " + bob.Stderr);
        Assert.False(camera.HasExited, "the camera was dropped: " + camera.Stderr);
        Assert.Equal(1, host.Services.GetRequiredService<Core.Streams.StreamRegistry>().Count);
    }
}
