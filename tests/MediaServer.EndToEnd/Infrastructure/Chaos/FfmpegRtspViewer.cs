namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>ffmpeg as a player (its own RTSP client, TCP or UDP) whose decoded frames are classified as they come.</summary>
internal sealed class FfmpegRtspViewer(FrameDecoder decoder) : IViewerSession
{
    public Task Ended => decoder.Exited;

    public static FfmpegRtspViewer Start(int port, string path, string transport, ColourTally tally) =>
        new(FrameDecoder.StartRtsp(tally, ChaosTenants.ViewerUrl(port, path), transport));

    public ValueTask DisposeAsync() => decoder.DisposeAsync();
}
