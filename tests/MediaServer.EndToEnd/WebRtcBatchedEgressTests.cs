using System.Buffers.Binary;
using System.Collections.Concurrent;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc;

namespace MediaServer.EndToEnd;

/// <summary>
/// WebRTC egress builds, keeps (for NACKs) and SRTP-encrypts each packet in a slot of a send batch
/// and sends a whole burst at once. Checked with the in-repo WHEP client and a raw RTSP publisher,
/// so no ffmpeg or browser is needed: every packet of a burst larger than one batch arrives, in
/// order, decrypting to the publisher's exact bytes, and a NACKed one comes back the same.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WebRtcBatchedEgressTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_burst_larger_than_a_batch_arrives_in_order_with_exact_payloads_and_nacked_packets_come_back_intact()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using RawRtspPublisher publisher = await RawRtspPublisher.StartAsync(host.RtspPort, "cam1");
        await publisher.SendAsync(RawRtspPublisher.Rtp(100, 9000, Slice(0x65, 0, 300)));

        using var http = new HttpClient();
        var received = new ConcurrentQueue<byte[]>();
        var dropped = new ConcurrentDictionary<ushort, bool>();
        int dropping = 0;
        // The handler is in place before the session connects: the cached keyframe comes at once.
        await using WhepClient client = await WhepClient.ConnectAsync(
            http, new Uri($"http://127.0.0.1:{host.HttpPort}/cam1/whep"), Deadline, rtp => received.Enqueue(rtp.ToArray()));
        client.DropRtp = seq => Volatile.Read(ref dropping) == 1 && dropped.Count < 3 && dropped.TryAdd(seq, true);

        // The cached keyframe first: then the session is live.
        Assert.True(await Eventually.TrueAsync(() => received.Any(p => (p[12] & 0x1F) == 5), Deadline), "no keyframe");
        int before = received.Count;

        // The first three packets of the burst are "lost" on the way and NACKed below.
        Volatile.Write(ref dropping, 1);
        const int burst = 150;
        var slices = new List<byte[]>();
        for (int i = 1; i <= burst; i++)
        {
            byte[] slice = Slice(0x41, i, 100 + (i * 7 % 900));
            slices.Add(slice);
            await publisher.SendAsync(RawRtspPublisher.Rtp((ushort)(100 + i), 9000u + (uint)i * 3000, slice));
        }

        Assert.True(
            await Eventually.TrueAsync(() => received.Count >= before + burst - 3, Deadline),
            $"only {received.Count - before} of {burst - 3} packets arrived");
        List<byte[]> live = [.. received.Skip(before)];
        Assert.Equal(burst - 3, live.Count);
        Assert.Equal(3, dropped.Count);

        ushort[] lost = [.. dropped.Keys.Order()];
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(live[0].AsSpan(8));
        ushort firstSeen = Sequence(live[0]);
        Assert.Equal(new[] { (ushort)(firstSeen - 3), (ushort)(firstSeen - 2), (ushort)(firstSeen - 1) }, lost);
        for (int i = 0; i < live.Count; i++)
        {
            Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(live[i].AsSpan(8)));
            Assert.Equal((ushort)(firstSeen + i), Sequence(live[i]));
            Assert.Equal(slices[i + 3], live[i][12..]);
        }

        client.SendNack(ssrc, lost);
        Assert.True(await Eventually.TrueAsync(() => received.Count >= before + burst, Deadline), "the NACKed packets never came back");
        List<byte[]> resent = [.. received.Skip(before + burst - 3)];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(lost[i], Sequence(resent[i]));
            Assert.Equal(slices[i], resent[i][12..]);
        }

        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(3, session.PacketsRetransmitted);
        Assert.Equal(0, client.AuthenticationFailures);
    }

    private static ushort Sequence(byte[] rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));

    /// <summary>A NAL unit of <paramref name="length"/> bytes whose body says which one it is.</summary>
    private static byte[] Slice(byte header, int index, int length)
    {
        byte[] nal = new byte[length];
        nal[0] = header;
        for (int i = 1; i < length; i++)
        {
            nal[i] = (byte)(index * 13 + i);
        }

        return nal;
    }
}
