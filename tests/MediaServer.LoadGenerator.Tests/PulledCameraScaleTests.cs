using System.Diagnostics;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>The camera server at the size of the figure: 100 cameras, each pulled over its own connection.</summary>
public class PulledCameraScaleTests
{
    [Fact]
    public async Task A_hundred_cameras_each_pulled_on_its_own_connection_send_every_puller_an_unbroken_stream()
    {
        const int Count = 100;
        var h264 = new SyntheticH264(2000, 30, gopSeconds: 2, maxPayload: 1188);
        PulledCamera[] cameras = [.. Enumerable.Range(0, Count).Select(i => new PulledCamera($"cam{i}", $"load/cam{i}", h264, i * h264.FramesPerGop / Count))];
        await using CameraRtspServer server = CameraRtspServer.Start(cameras);
        var pacer = new CameraPacer(cameras, h264.FramesPerSecond);
        pacer.Start();
        var pullers = new List<(RawRtspClient Client, ushort First)>();
        try
        {
            foreach (PulledCamera camera in cameras)
            {
                RawRtspClient client = await RawRtspClient.ConnectAsync(server.EndPoint);
                string url = server.Url(camera);
                await client.RequestAsync("DESCRIBE", url);
                RawRtspResponse setup = await client.RequestAsync("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
                RawRtspResponse play = await client.RequestAsync("PLAY", url, $"Session: {setup.Session}\r\n");
                pullers.Add((client, ushort.Parse(play.Header("RTP-Info")!.Split("seq=")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture)));
            }

            Assert.All(cameras, c => Assert.Equal(1, c.PlayingSessions));

            // Each puller reads a second of frames (30), every packet in sequence from its RTP-Info.
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(pullers.Select(async p =>
            {
                ushort expected = p.First;
                int frames = 0;
                while (frames < h264.FramesPerSecond)
                {
                    var frame = Assert.IsType<InterleavedFrame>(await p.Client.ReadMessageAsync());
                    Assert.Equal(expected++, frame.Sequence);
                    frames += (frame.Data[1] & 0x80) != 0 ? 1 : 0;
                }
            }));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"a second of frames took {clock.Elapsed}");
        }
        finally
        {
            pacer.Stop();
            foreach ((RawRtspClient client, _) in pullers)
            {
                client.Dispose();
            }
        }

        Assert.All(cameras, c => Assert.Equal(0, c.SendFailures));
        Assert.Equal(0, pacer.Errors);
    }
}
