using System.Buffers.Binary;
using System.Collections.Concurrent;
using MediaServer.Core.Streams;
using MediaServer.Testing.WebRtc;

namespace MediaServer.WebRtc.Tests;

/// <summary>
/// The test client's own contract: disposing it, from whatever thread, while its receive loop
/// hands out media and RTCP is due, ends quietly instead of throwing on the receive thread (where
/// an exception would take the whole test host down).
/// </summary>
public sealed class WhepClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RTCP_sent_from_the_receive_loop_after_the_client_was_disposed_is_dropped_quietly()
    {
        using var server = new LoopbackWhepServer();
        using var http = new HttpClient(server, disposeHandler: false);
        using var publishing = new CancellationTokenSource();
        Task publisher = PublishUntilCancelledAsync(server.Stream, publishing.Token);
        WhepClient client = await WhepClient.ConnectAsync(http, LoopbackWhepServer.WhepUrl, Deadline);
        var failures = new ConcurrentQueue<Exception>();
        using var inCallback = new ManualResetEventSlim();
        bool sawSocketClosed = false;
        int entered = 0;
        client.OnRtp = _ =>
        {
            if (Interlocked.Exchange(ref entered, 1) != 0)
            {
                return;
            }

            // Hold the receive thread inside its callback until DisposeAsync has closed the
            // socket, then send the receiver report that is due, as a viewer's loop does.
            inCallback.Set();
            sawSocketClosed = SpinWait.SpinUntil(() => IsClosed(client), Deadline);
            try
            {
                client.SendReceiverReport();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        };

        Assert.True(inCallback.Wait(Deadline), "setup: no media reached the client");
        await client.DisposeAsync();
        await publishing.CancelAsync();
        await publisher;

        Assert.True(sawSocketClosed, "setup: the callback never saw the client's socket closed");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Feedback_sent_after_the_client_was_disposed_is_dropped_quietly()
    {
        using var server = new LoopbackWhepServer();
        using var http = new HttpClient(server, disposeHandler: false);
        WhepClient client = await WhepClient.ConnectAsync(http, LoopbackWhepServer.WhepUrl, Deadline);
        await client.DisposeAsync();

        Assert.Null(Record.Exception(() => client.SendPictureLoss(0x1234)));
        Assert.Null(Record.Exception(() => client.SendNack(0x1234, [1, 2])));
        Assert.Null(Record.Exception(() => client.SendReceiverReport()));
    }

    private static bool IsClosed(WhepClient client)
    {
        try
        {
            _ = client.LocalEndPoint;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Single-NAL H.264 IDR packets, every one a keyframe, so the session starts on any of them.</summary>
    private static async Task PublishUntilCancelledAsync(MediaStream stream, CancellationToken cancellationToken)
    {
        var packet = new byte[12 + 100];
        packet[0] = 0x80;
        packet[1] = 0x80 | 96;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x11223344);
        packet[12] = 0x65;
        ushort sequence = 0;
        uint timestamp = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp += 3000);
            stream.PublishRtp(0, packet);
            try
            {
                await Task.Delay(10, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
