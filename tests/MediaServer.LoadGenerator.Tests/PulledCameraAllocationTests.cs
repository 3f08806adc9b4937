using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>
/// A pulled camera's frame path (build the burst, re-frame it per session, send) allocates
/// nothing, as a pushed camera's does: the generator must not add garbage-collection work to
/// the two cores it shares with the server it measures.
/// </summary>
public class PulledCameraAllocationTests
{
    [Theory]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=2-3")] // a channel other than the burst's: rewritten in place
    [InlineData("RTP/AVP;unicast;client_port={0}-{1}")]
    public async Task Sending_frames_to_a_playing_session_allocates_nothing(string transport)
    {
        var h264 = new SyntheticH264(2000, 30, gopSeconds: 1, maxPayload: 1188);
        var camera = new PulledCamera("cam0", "load/cam0", h264, 0);
        await using CameraRtspServer server = CameraRtspServer.Start([camera]);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        using RawRtspClient client = await RawRtspClient.ConnectAsync(server.EndPoint);
        string url = server.Url(camera);
        RawRtspResponse setup = await client.RequestAsync("SETUP", url + "/trackID=0",
            $"Transport: {string.Format(System.Globalization.CultureInfo.InvariantCulture, transport, rtpPort, rtpPort + 1)}\r\n");
        Assert.Equal(200, (await client.RequestAsync("PLAY", url, $"Session: {setup.Session}\r\n")).Status);
        Task drain = Task.Run(async () =>
        {
            try
            {
                while (await client.ReadMessageAsync() is not null)
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        long allocated = 0;
        Thread sender = new(() =>
        {
            for (int i = 0; i < 2 * h264.FramesPerGop; i++) // warm up: both frame kinds, every code path
            {
                camera.SendFrame();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 2 * h264.FramesPerGop; i++)
            {
                camera.SendFrame();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        sender.Start();
        sender.Join();
        await server.DisposeAsync();
        await drain;

        Assert.Equal(4 * (h264.Keyframe.Length + (h264.FramesPerGop - 1) * h264.Predicted.Length), camera.PacketsSent); // every frame went out
        Assert.Equal(0, allocated);
    }
}
