using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaServer.Core.Metrics;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.WebRtc;

namespace MediaServer.EndToEnd;

/// <summary>A WHEP session whose reader takes nothing is ended once the stream gives up on the reader.</summary>
[Trait("Category", "EndToEnd")]
public class WebRtcStalledReaderTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));

    [Fact]
    public async Task Session_whose_reader_never_reads_is_closed_as_stalled_and_the_publisher_goes_on()
    {
        // The viewer posts an offer and never connects: its egress never starts, so its reader never
        // reads. The handshake timeout is set far beyond the test, so only the stall can end it.
        await using MediaServerHost host = await TestHost.StartAsync(
            "--Streams:StalledReaderTimeoutSeconds=1", "--Streams:ReaderQueuePackets=64", "--WebRtc:HandshakeTimeoutSeconds=300");
        await using RawRtspPublisher publisher = await RawRtspPublisher.StartAsync(host.RtspPort, "cam1");
        ushort seq = 0;
        uint timestamp = 0;
        async Task SendFrameAsync(bool keyframe)
        {
            timestamp += 3000;
            if (keyframe)
            {
                await publisher.SendAsync(RawRtspPublisher.Rtp(seq++, timestamp, [0x67, 0x42, 0x00, 0x29], marker: false));
                await publisher.SendAsync(RawRtspPublisher.Rtp(seq++, timestamp, [0x68, 0xCE, 0x3C, 0x80], marker: false));
            }

            await publisher.SendAsync(RawRtspPublisher.Rtp(seq++, timestamp, [keyframe ? (byte)0x65 : (byte)0x41, 0x88, 0x84, 0x00]));
        }

        await SendFrameAsync(keyframe: true);
        double disconnectedBefore = MetricsRegistry.ReadersDisconnectedStalled.Value;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        using HttpResponseMessage created = await http.PostAsync("cam1/whep",
            new StringContent(Offer, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(1, host.Stream("cam1").ReaderCount);

        // The camera goes on at 25 fps (a keyframe a second) until the session is gone.
        for (int frame = 1; frame < 25 * 60 && !session.Completion.IsCompleted; frame++)
        {
            await SendFrameAsync(keyframe: frame % 25 == 0);
            await Task.Delay(40); // the camera's pace, not a timing assertion
        }

        Assert.True(session.Completion.IsCompleted, "the session of the stalled reader was never closed");
        Assert.Contains("stalled", session.CloseReason, StringComparison.Ordinal);
        Assert.True(session.Reader!.IsStalled);
        Assert.Equal(1, MetricsRegistry.ReadersDisconnectedStalled.Value - disconnectedBefore);
        Assert.Equal(0, host.WebRtcSessions().Count);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").ReaderCount == 0, TimeSpan.FromSeconds(10)), "the reader was not released");

        // The publisher was not affected.
        long packetsIn = host.Stream("cam1").PacketsIn;
        await SendFrameAsync(keyframe: false);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").PacketsIn > packetsIn, TimeSpan.FromSeconds(10)), "the publisher's packets no longer arrive");
    }
}
