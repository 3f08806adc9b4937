using System.Net;
using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>Commands and a webhook told when a path becomes ready or not and when readers come and go.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HookTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"mediaserver-hooks-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_log);

    private string[] Lines() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    [Fact]
    public async Task Commands_run_with_the_event_path_session_and_protocol_in_their_environment()
    {
        string append = $"echo \"$MEDIASERVER_EVENT $MEDIASERVER_PATH $MEDIASERVER_PROTOCOL $MEDIASERVER_SESSION_ID\" >> {_log}";
        await using MediaServerHost host = await TestHost.StartAsync(
            $"--Hooks:RunOnReady={append}", $"--Hooks:RunOnNotReady={append}", $"--Hooks:RunOnRead={append}", $"--Hooks:RunOnUnread={append}");
        await using (Camera camera = await Camera.StartAsync(host, "home/cam", await Clips.H264Gop4sAsync()))
        {
            Assert.True(await Eventually.TrueAsync(() => Lines().Any(l => l.StartsWith("ready home/cam rtsp ", StringComparison.Ordinal)), Deadline), string.Join('\n', Lines()));
            await using FfmpegProcess player = await Player.RunAsync(host, "home/cam", "tcp", "-map", "0:v", "-frames:v", "10", "-f", "null", "-");
            Assert.True(await Eventually.TrueAsync(() => Lines().Any(l => l.StartsWith("unread home/cam rtsp ", StringComparison.Ordinal)), Deadline), string.Join('\n', Lines()));
        }

        Assert.True(await Eventually.TrueAsync(() => Lines().Any(l => l.StartsWith("not_ready home/cam rtsp ", StringComparison.Ordinal)), Deadline), string.Join('\n', Lines()));
        string[] lines = Lines();
        string read = Assert.Single(lines, l => l.StartsWith("read ", StringComparison.Ordinal));
        string unread = Assert.Single(lines, l => l.StartsWith("unread ", StringComparison.Ordinal));
        Assert.Equal(read.Split(' ')[3], unread.Split(' ')[3]); // the same reader session
        Assert.Equal(32, read.Split(' ')[3].Length);
    }

    [Fact]
    public async Task The_webhook_gets_every_event_as_json_in_order_including_webrtc_viewers()
    {
        using var listener = new HttpListener();
        int port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var events = new System.Collections.Concurrent.ConcurrentQueue<JsonElement>();
        using var stop = new CancellationTokenSource();
        Task receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    events.Enqueue(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
                }

                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });

        await using (MediaServerHost host = await TestHost.StartAsync($"--Hooks:WebhookUrl=http://127.0.0.1:{port}/hook/"))
        {
            await using Camera camera = await Camera.StartAsync(host, "cam9", await Clips.H264Gop4sAsync());
            using var http = new HttpClient();
            await using (Testing.WebRtc.WhepClient viewer = await Testing.WebRtc.WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/cam9/whep"), Deadline))
            {
                Assert.True(await Eventually.TrueAsync(() => events.Any(e => e.GetProperty("event").GetString() == "read"), Deadline));
            }

            Assert.True(await Eventually.TrueAsync(() => events.Any(e => e.GetProperty("event").GetString() == "unread"), Deadline));
            await camera.DisposeAsync();
            Assert.True(await Eventually.TrueAsync(() => events.Any(e => e.GetProperty("event").GetString() == "not_ready"), Deadline));
        }

        await stop.CancelAsync();
        listener.Stop();
        await receiving;
        string[] sequence = [.. events.Select(e => $"{e.GetProperty("event").GetString()} {e.GetProperty("path").GetString()} {e.GetProperty("protocol").GetString()}")];
        Assert.Equal(["ready cam9 rtsp", "read cam9 webrtc", "unread cam9 webrtc", "not_ready cam9 rtsp"], sequence);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
