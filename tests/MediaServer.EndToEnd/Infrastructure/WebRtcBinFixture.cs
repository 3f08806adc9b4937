namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// One server and three cameras for the webrtcbin tests: video only, video with Opus (a browser
/// plays both), video with AAC (its audio cannot be sent). Shared so each case takes seconds.
/// </summary>
public sealed class WebRtcBinFixture : IAsyncLifetime
{
    public const string VideoOnly = "video-only";
    public const string VideoOpus = "video-opus";
    public const string VideoAac = "video-aac";

    private readonly List<Camera> _cameras = [];

    internal MediaServerHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        _cameras.Add(await Camera.StartAsync(Host, VideoOnly, await Clips.SolidAsync("red")));
        _cameras.Add(await Camera.StartAsync(Host, VideoOpus, await Clips.H264OpusAsync()));
        _cameras.Add(await Camera.StartAsync(Host, VideoAac, await Clips.H264AacAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (Camera camera in _cameras)
        {
            await camera.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}
