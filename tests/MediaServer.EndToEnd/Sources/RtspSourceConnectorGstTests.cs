using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.EndToEnd.Infrastructure.Chaos;
using MediaServer.Media.Formats.H264;
using MediaServer.Rtsp.Client;

namespace MediaServer.EndToEnd.Sources;

/// <summary>The RTSP pull client against a camera nobody here wrote: GStreamer's RTSP server.</summary>
public sealed class RtspSourceConnectorGstTests
{
    [Theory]
    [InlineData(SourceTransport.Tcp, null, "tcp")]
    [InlineData(SourceTransport.Udp, null, "udp")]
    [InlineData(SourceTransport.Tcp, "digest", "tcp")]
    [InlineData(SourceTransport.Udp, "digest", "udp")]
    [InlineData(SourceTransport.Automatic, "basic", "udp")]
    public async Task A_GStreamer_camera_is_pulled_into_a_stream_with_keyframes(SourceTransport transport, string? auth, string expectedTransport)
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(
            colour: "0000ff", user: auth is null ? null : "cam user", password: auth is null ? null : "p@ss:word", auth: auth ?? "digest");
        string url = auth is null ? camera.Url : camera.UrlWith("cam user", "p@ss:word");
        Assert.True(SourceUri.TryParse(url, out SourceUri? uri, out string? error), error);
        var options = new SourceConnectOptions { Transport = transport, ReceiverReportInterval = TimeSpan.FromMilliseconds(500) };

        await using ISourceConnection connection = await new RtspSourceConnector().OpenAsync(uri!, options, CancellationToken.None);
        Assert.True(StreamId.TryCreate("gst", out StreamId id, out _));
        var stream = new MediaStream(id, connection.Description, new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(id, StreamAction.Read, Principal.Everyone, out StreamGrant grant));
        using MediaStreamReader reader = stream.Subscribe(grant);
        using var stop = new CancellationTokenSource();
        Task run = connection.RunAsync(new SourcePublisher(stream), stop.Token);

        int packets = 0;
        int keyframes = 0;
        using var annexB = new MemoryStream();
        var depacketizer = new H264Depacketizer(new AnnexBWriter(annexB));
        bool arrived = await Eventually.TrueAsync(() =>
        {
            while (reader.TryRead(out MediaPacket packet))
            {
                packets++;
                keyframes += packet.IsRandomAccess ? 1 : 0;
                depacketizer.Push(packet.Payload, packet.SequenceNumber, packet.Timestamp, packet.Marker);
                packet.Release();
            }

            return (packets >= 50 && keyframes >= 1) || run.IsCompleted;
        }, TimeSpan.FromSeconds(20));

        Assert.False(run.IsCompleted, $"RunAsync ended: {run.Exception?.InnerException?.Message}");
        Assert.True(arrived, $"{packets} packets and {keyframes} keyframes arrived");
        Assert.Equal(expectedTransport, connection.Transport);
        Assert.Equal("H264", stream.Tracks[0].Format.EncodingName, ignoreCase: true);
        Assert.Equal(0, stream.PacketsRejected);
        await stop.CancelAsync();
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));

        // What was pulled is the camera's picture: it decodes, and in the camera's colour.
        (double r, double g, double b) = await DecodeColourAsync(annexB.ToArray());
        Assert.True(b > 200 && r < 60 && g < 60, $"expected blue, decoded ({r:F0}, {g:F0}, {b:F0})");
    }

    private static async Task<(double R, double G, double B)> DecodeColourAsync(byte[] annexB)
    {
        string file = Path.Combine(Path.GetTempPath(), $"pulled-{Guid.NewGuid():N}.h264");
        await File.WriteAllBytesAsync(file, annexB);
        try
        {
            await using FfmpegProcess decoder = FfmpegProcess.Start(
                "-f", "h264", "-i", file, "-frames:v", "1", "-vf", "scale=8:8", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1");
            Assert.True(await decoder.WaitForExitAsync(TimeSpan.FromSeconds(30)), "ffmpeg did not finish: " + decoder.Stderr);
            byte[] rgb = decoder.Stdout();
            Assert.True(rgb.Length == 8 * 8 * 3, $"expected one 8x8 frame from {annexB.Length} bytes, got {rgb.Length}: {decoder.Stderr}");
            double r = 0, g = 0, b = 0;
            for (int i = 0; i < rgb.Length; i += 3)
            {
                r += rgb[i];
                g += rgb[i + 1];
                b += rgb[i + 2];
            }

            return (r / 64, g / 64, b / 64);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(SourceTransport.Tcp)]
    [InlineData(SourceTransport.Udp)]
    public async Task A_camera_that_dies_while_playing_Ends_the_run(SourceTransport transport)
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync();
        Assert.True(SourceUri.TryParse(camera.Url, out SourceUri? uri, out _));
        await using ISourceConnection connection = await new RtspSourceConnector().OpenAsync(
            uri!, new SourceConnectOptions { Transport = transport }, CancellationToken.None);
        Assert.True(StreamId.TryCreate("gst", out StreamId id, out _));
        var stream = new MediaStream(id, connection.Description, new StreamOptions());
        using var stop = new CancellationTokenSource();
        Task run = connection.RunAsync(new SourcePublisher(stream), stop.Token);
        Assert.True(await Eventually.TrueAsync(() => stream.PacketsIn > 10 || run.IsCompleted, TimeSpan.FromSeconds(30)),
            $"{stream.PacketsIn} packets arrived; camera: {camera.Stderr}");
        Assert.False(run.IsCompleted, $"RunAsync ended before the camera died: {run.Exception?.InnerException?.Message}");

        await camera.StopAsync();

        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(15))) == run, "RunAsync went on after the camera died");
        SourceException failure = await Assert.ThrowsAsync<SourceException>(() => run);
        Assert.Equal(SourceFailureReason.Ended, failure.Reason);
    }

    [Fact]
    public async Task Disposing_the_connection_tears_the_session_down_on_the_camera()
    {
        await using GstRtspCamera camera = await GstRtspCamera.StartAsync(tcpOnly: true);
        Assert.True(SourceUri.TryParse(camera.Url, out SourceUri? uri, out _));

        ISourceConnection connection = await new RtspSourceConnector().OpenAsync(uri!, new SourceConnectOptions(), CancellationToken.None);
        // Automatic: the camera answered the UDP SETUP with 461, and the client asked for TCP on the same connection.
        Assert.Equal("tcp", connection.Transport);
        // The camera's count comes from its output lines, read a moment after the fact.
        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpen == 1, TimeSpan.FromSeconds(10)), "the camera never counted the connection");
        await connection.DisposeAsync();

        Assert.True(await Eventually.TrueAsync(() => camera.ConnectionsOpen == 0, TimeSpan.FromSeconds(10)), "the camera still has a connection open");
        Assert.Equal(1, camera.ConnectionsOpened);
    }
}
