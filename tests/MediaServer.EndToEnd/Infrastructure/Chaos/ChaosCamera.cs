using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// One household's camera: ffmpeg publishing a solid-colour clip over RTSP (TCP, or UDP through a
/// faulty proxy), which the test kills without a goodbye (SIGKILL, mid-GOP) and starts again, at
/// the same path, sometimes at a new resolution.
/// </summary>
internal sealed partial class ChaosCamera(MediaServerHost host, int colour, string transport, int publishPort, bool heavy = false) : IAsyncDisposable
{
    public static readonly string[] Sizes = ["160x120", "320x240"];

    private FfmpegProcess? _process;

    public int Colour { get; } = colour;

    public string Path { get; } = $"home{colour + 1}/cam";

    public string Transport { get; } = transport;

    /// <summary>Publishes the high-bit-rate clip (see <see cref="ChaosClips.SolidAsync"/>).</summary>
    public bool Heavy { get; } = heavy;

    public string Size { get; private set; } = Sizes[0];

    public int Starts { get; private set; }

    public int ResolutionChanges { get; private set; }

    public async Task StartAsync(string size, CancellationToken cancellationToken)
    {
        if (Starts > 0 && size != Size)
        {
            ResolutionChanges++;
        }

        Size = size;
        string clip = await ChaosClips.SolidAsync(Colour, size, Heavy);
        _process = FfmpegProcess.Start(
            "-loglevel", "warning", "-stats", "-stats_period", "0.1",
            "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-t", "3600",
            "-f", "rtsp", "-rtsp_transport", Transport, ChaosTenants.CameraUrl(publishPort, Path));
        Starts++;
        FfmpegProcess process = _process;
        if (!await RtspProbe.WaitUntilPublishedAsync(host.RtspPort, Path, TimeSpan.FromSeconds(30), () => process.HasExited || cancellationToken.IsCancellationRequested,
                ChaosTenants.ViewerAuthorization))
        {
            throw new InvalidOperationException($"{Path} never published: {process.Stderr}");
        }
    }

    /// <summary>Kills the publisher in the middle of a GOP (by its own frame count), with no TEARDOWN.</summary>
    public async Task KillMidGopAsync()
    {
        FfmpegProcess process = _process ?? throw new InvalidOperationException("not started");
        await process.WaitForStderrAsync(s => FramesSent(s) % ChaosClips.Gop is >= 8 and <= 16, TimeSpan.FromSeconds(5));
        await process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
            _process = null;
        }
    }

    private static int FramesSent(string stderr)
    {
        Match last = Frame().Match(stderr, Math.Max(0, stderr.Length - 200));
        int frames = -1;
        for (; last.Success; last = last.NextMatch())
        {
            frames = int.Parse(last.Groups[1].ValueSpan);
        }

        return frames;
    }

    [GeneratedRegex(@"frame=\s*(\d+)")]
    private static partial Regex Frame();
}
