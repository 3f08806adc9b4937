using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// ffmpeg publishing to a full URL (credentials in it, rtsps:// for TLS); it counts as published
/// once the server's registry has the path, since a probe without credentials would get 401.
/// </summary>
internal static class UrlCamera
{
    public static async Task<FfmpegProcess> StartAsync(MediaServerHost host, string url, string path, string clip)
    {
        FfmpegProcess camera = FfmpegProcess.Start(
            "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip,
            "-c", "copy", "-t", "120", "-f", "rtsp", "-rtsp_transport", "tcp", url);
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        bool published = await Eventually.TrueAsync(() => registry.TryGet(id, out _) || camera.HasExited, TimeSpan.FromSeconds(30));
        if (!published || camera.HasExited)
        {
            string stderr = camera.Stderr;
            await camera.DisposeAsync();
            throw new InvalidOperationException($"The camera never published {path}: {stderr}");
        }

        return camera;
    }

    /// <summary>An ffmpeg player that decodes <paramref name="frames"/> video frames from the URL and exits.</summary>
    public static async Task<FfmpegProcess> PlayAsync(string url, int frames = 30)
    {
        FfmpegProcess player = FfmpegProcess.Start(
            "-loglevel", "info", "-rtsp_transport", "tcp", "-timeout", "15000000", "-i", url,
            "-map", "0:v", "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "framecrc", "pipe:1");
        Assert.True(await player.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the player did not finish: " + player.Stderr);
        return player;
    }
}
