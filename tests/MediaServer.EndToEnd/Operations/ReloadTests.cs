using System.Text.Json;
using MediaServer.Configuration;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Operations;

/// <summary>Path and user changes in the configuration file apply while the server runs, dropping no one.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ReloadTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"mediaserver-reload-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private void Write(object configuration) => File.WriteAllText(_file, JsonSerializer.Serialize(configuration));

    private static object Paths(params string[] names) => new { Paths = names.Select(n => new { Name = n }).ToArray() };

    [Fact]
    public async Task New_paths_apply_at_once_and_the_running_camera_and_its_viewer_keep_going()
    {
        Write(Paths("cam1"));
        await using MediaServerHost host = await TestHost.StartAsync($"--ConfigPath={_file}");
        var reloads = 0;
        var refusals = 0;
        AccessReloader reloader = host.Services.GetRequiredService<AccessReloader>();
        reloader.Reloaded += () => Interlocked.Increment(ref reloads);
        reloader.Refused += () => Interlocked.Increment(ref refusals);
        string clip = await Clips.H264Gop4sAsync();
        await using Camera cam1 = await Camera.StartAsync(host, "cam1", clip);
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam2"));
        await using FfmpegProcess viewer = Player.Start(host, "cam1", "tcp", "-map", "0:v", "-f", "framecrc", "pipe:1");

        Write(Paths("cam1", "cam2"));
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref reloads) > 0, Deadline), "the change was not picked up");
        await using Camera cam2 = await Camera.StartAsync(host, "cam2", clip);

        // A broken change is refused whole: the rules stay as they were.
        File.WriteAllText(_file, """{ "Paths": [ { "Name": "~([" } ] }""");
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref refusals) > 0, Deadline), "the broken change was not noticed");
        Assert.Equal(200, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam2"));

        int before = Volatile.Read(ref reloads);
        Write(new { Paths = new object[] { new { Name = "cam1" }, new { Name = "cam2" }, new { Name = "cam3", Publish = false } } });
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref reloads) > before, Deadline), "the valid change was not picked up");
        Assert.Equal(404, await RtspProbe.DescribeStatusAsync(host.RtspPort, "cam4"));

        Assert.False(viewer.HasExited, "the viewer of the unaffected path was dropped: " + viewer.Stderr);
        Assert.False(cam1.Process.HasExited, "the unaffected camera was dropped: " + cam1.Process.Stderr);
        Assert.Equal(2, host.Services.GetRequiredService<Core.Streams.StreamRegistry>().Count);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task A_user_added_to_the_file_can_log_in_without_a_restart()
    {
        Write(new { Auth = new { Users = new[] { new { Name = "ops", Password = "pw1", Permissions = new[] { new { Action = "api" } } } } } });
        await using MediaServerHost host = await TestHost.StartAsync($"--ConfigPath={_file}");
        var reloads = 0;
        host.Services.GetRequiredService<AccessReloader>().Reloaded += () => Interlocked.Increment(ref reloads);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Get(http, "ops", "pw1")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await Get(http, "dev", "pw2")).StatusCode);

        Write(new
        {
            Auth = new
            {
                Users = new[]
                {
                    new { Name = "ops", Password = "pw1", Permissions = new[] { new { Action = "api" } } },
                    new { Name = "dev", Password = "pw2", Permissions = new[] { new { Action = "api" } } },
                },
            },
        });
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref reloads) > 0, Deadline), "the change was not picked up");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Get(http, "dev", "pw2")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Get(http, "ops", "pw1")).StatusCode);
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "v1/paths");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }
}
