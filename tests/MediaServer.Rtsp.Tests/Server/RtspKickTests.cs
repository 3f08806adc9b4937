using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>A kicked session's client is disconnected even when it stopped reading what the server sends.</summary>
public class RtspKickTests
{
    [Fact]
    public async Task Kicking_a_reader_that_stopped_reading_frees_its_socket()
    {
        // Stall detection off: only the kick may end this reader.
        await using MediaServerHost host = await TestServer.StartAsync("--Streams:StalledReaderTimeoutSeconds=0");
        RtspServerContext rtsp = host.Services.GetRequiredServiceForTests<RtspServerContext>();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 0, 0, tag: 1);
        await using RawRtspClient stalled = (await TestMedia.ReadAsync(host, "cam1", receiveBufferSize: 16 * 1024)).Client;

        // About 4 MB the reader never reads: its socket and the server's send buffer fill, and the
        // server's egress to it blocks in a write.
        for (ushort seq = 3; seq < 3003; seq++)
        {
            await publisher.SendInterleavedAsync(0, TestMedia.Rtp(seq, seq * 900u, 0x41, tag: 0, payloadBytes: 1400));
            if (seq % 100 == 0)
            {
                await Task.Delay(5); // pacing, not a timing assertion
            }
        }

        Assert.True(KernelTcpTable.IsEstablished(host.RtspPort, stalled.LocalPort));
        Assert.True(rtsp.TryCloseSession(stalled.Session!, "kicked by the test"));

        Assert.True(await Poll.UntilAsync(() => !KernelTcpTable.IsEstablished(host.RtspPort, stalled.LocalPort), TimeSpan.FromSeconds(15)),
            "the server still holds the kicked reader's socket");
        Assert.Equal(200, (await publisher.RequestAsync("OPTIONS", host.Url("cam1"))).Status);
    }
}
