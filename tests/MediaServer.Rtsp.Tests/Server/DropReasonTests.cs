using MediaServer.Core.Metrics;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>
/// Interleaved frames the server cannot use are counted under a reason that says why: a channel
/// whose session has ended (the client's frames still in flight) is <c>session_ended</c>, RTP a
/// publisher sends before RECORD is <c>before_record</c>; <c>unknown_track</c> is left for channels
/// nobody set up. Each drop keeps the connection.
/// </summary>
public class DropReasonTests
{
    [Fact]
    public async Task Rtcp_a_reader_sends_after_its_teardown_is_counted_as_session_ended()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        (RawRtspClient reader, _) = await TestMedia.ReadAsync(host, "cam1");
        await using (reader)
        {
            var ended = MetricsRegistry.DroppedPackets.WithLabels("session_ended");
            double before = ended.Value;
            Assert.Equal(200, (await reader.RequestAsync("TEARDOWN", host.Url("cam1"))).Status);

            // A receiver report (RFC 3550 §6.4.2, no blocks) on the RTCP channel of the session just torn down.
            await reader.SendInterleavedAsync(1, [0x80, 201, 0, 1, 0, 0, 0, 1]);
            await reader.SendInterleavedAsync(0, TestMedia.Rtp(1, 1, 0x65, 1));

            Assert.True(await Poll.UntilAsync(() => ended.Value >= before + 2), $"session_ended grew by {ended.Value - before}");
            reader.Session = null;
            Assert.Equal(200, (await reader.RequestAsync("OPTIONS", host.Url("cam1"))).Status);
        }
    }

    [Fact]
    public async Task Rtp_a_publisher_sends_before_record_is_counted_as_before_record()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient publisher = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await publisher.RequestAsync("ANNOUNCE", host.Url("cam2"), null, TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await publisher.RequestAsync("SETUP", host.Url("cam2") + "/streamid=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record")).Status);
        var early = MetricsRegistry.DroppedPackets.WithLabels("before_record");
        double before = early.Value;

        await publisher.SendInterleavedAsync(0, TestMedia.Rtp(1, 1, 0x65, 1));

        Assert.True(await Poll.UntilAsync(() => early.Value >= before + 1), "the packet sent before RECORD was not counted");
        Assert.Equal(200, (await publisher.RequestAsync("RECORD", host.Url("cam2"), "Range: npt=0.000-")).Status);
    }
}
