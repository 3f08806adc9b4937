using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>A player whose socket stopped draining is disconnected; nobody else notices.</summary>
public class RtspStalledReaderTests
{
    private const int PayloadBytes = 1400;

    [Fact]
    public async Task Reader_that_stops_reading_its_socket_is_disconnected_while_the_publisher_and_another_reader_go_on()
    {
        await using MediaServerHost host = await TestServer.StartAsync(
            "--Streams:StalledReaderTimeoutSeconds=2", "--Streams:ReaderQueuePackets=256");
        RtspServerContext rtsp = host.Services.GetRequiredServiceForTests<RtspServerContext>();
        double disconnectedBefore = MetricsRegistry.ReadersDisconnectedStalled.Value;

        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 0, 0, tag: 1);
        await using RawRtspClient healthy = (await TestMedia.ReadAsync(host, "cam1")).Client;
        await using RawRtspClient stalled = (await TestMedia.ReadAsync(host, "cam1", receiveBufferSize: 16 * 1024)).Client;
        MediaStream stream = host.Services.GetRequiredServiceForTests<StreamRegistry>().Streams.Single();
        Assert.Equal(2, stream.ReaderCount);
        Assert.True(KernelTcpTable.IsEstablished(host.RtspPort, stalled.LocalPort));

        // The healthy reader reads everything; the stalled one never reads again.
        long healthyFrames = 0;
        using var stop = new CancellationTokenSource();
        Task reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await healthy.ReadFrameAsync();
                Interlocked.Increment(ref healthyFrames);
            }
        });

        // The publisher sends about 2.8 MB/s, a keyframe every 100 packets, until told to stop.
        bool Disconnected() => MetricsRegistry.ReadersDisconnectedStalled.Value > disconnectedBefore;
        ushort seq = 3;
        uint timestamp = 0;
        long sent = 0;
        bool askedWhileStalled = false;
        async Task PublishAsync(Func<bool> until, TimeSpan limit)
        {
            long giveUp = Environment.TickCount64 + (long)limit.TotalMilliseconds;
            while (!until() && Environment.TickCount64 < giveUp)
            {
                for (int i = 0; i < 20; i++, sent++)
                {
                    timestamp += 900;
                    if (sent % 100 == 0)
                    {
                        await publisher.SendInterleavedAsync(0, Packet(seq++, timestamp, 0x67, marker: false));
                        await publisher.SendInterleavedAsync(0, Packet(seq++, timestamp, 0x68, marker: false));
                        await publisher.SendInterleavedAsync(0, Packet(seq++, timestamp, 0x65));
                    }
                    else
                    {
                        await publisher.SendInterleavedAsync(0, Packet(seq++, timestamp, 0x41));
                    }
                }

                if (!askedWhileStalled && sent >= 3000)
                {
                    // A request while stalled: its response waits behind media that never leaves.
                    askedWhileStalled = true;
                    await stalled.SendRawAsync($"OPTIONS {host.Url("cam1")} RTSP/1.0\r\nCSeq: 9\r\nSession: {stalled.Session}\r\n\r\n");
                }

                await Task.Delay(10); // pacing, not a timing assertion
            }
        }

        await PublishAsync(Disconnected, TimeSpan.FromSeconds(60));
        Assert.True(Disconnected(), "the stalled reader was never disconnected");
        Assert.True(askedWhileStalled);

        // Its connection goes; the publisher's and the healthy reader's stay, and media still flows.
        long healthyAtDisconnect = Interlocked.Read(ref healthyFrames);
        await PublishAsync(() => rtsp.ConnectionCount == 2 && stream.ReaderCount == 1 &&
            Interlocked.Read(ref healthyFrames) > healthyAtDisconnect + 500, TimeSpan.FromSeconds(30));
        Assert.Equal(2, rtsp.ConnectionCount);
        Assert.Equal(1, stream.ReaderCount);
        Assert.True(Interlocked.Read(ref healthyFrames) > healthyAtDisconnect + 500, "the healthy reader stopped receiving");

        // The server let go of its socket although the client still reads nothing (what was unsent
        // for it is dropped); then the client, reading again, finds the connection closed.
        Assert.True(await Poll(() => !KernelTcpTable.IsEstablished(host.RtspPort, stalled.LocalPort)),
            "the server still holds the stalled reader's socket");
        Assert.True(await stalled.IsClosedByServerAsync(TimeSpan.FromSeconds(15)), "the stalled reader's connection is still open");
        Assert.Equal(1, MetricsRegistry.ReadersDisconnectedStalled.Value - disconnectedBefore);
        Assert.False(stream.IsClosed);

        await stop.CancelAsync();
        await PublishAsync(() => reading.IsCompleted, TimeSpan.FromSeconds(15));
        Assert.True(reading.IsCompleted);
        Assert.Equal(200, (await publisher.RequestAsync("OPTIONS", host.Url("cam1"))).Status);
        Assert.Equal(200, (await healthy.RequestAsync("OPTIONS", host.Url("cam1"))).Status);
    }

    private static async Task<bool> Poll(Func<bool> condition)
    {
        for (int attempt = 0; attempt < 150 && !condition(); attempt++)
        {
            await Task.Delay(100);
        }

        return condition();
    }

    private static byte[] Packet(ushort seq, uint timestamp, byte nal, bool marker = true) =>
        TestMedia.Rtp(seq, timestamp, nal, tag: 0, marker, PayloadBytes);
}
