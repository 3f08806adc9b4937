using System.Buffers.Binary;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Testing.WebRtc;

namespace MediaServer.WebRtc.Tests.Whip;

/// <summary>
/// A WHIP publisher's media through the real server: ICE, DTLS, SRTP decryption, attribution to a
/// track by SSRC, publication to the stream, and the RTCP feedback the server sends back.
/// </summary>
public sealed class WhipIngestTests
{
    private const uint VideoSsrc = 0x0A0B0C0D;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A video packet on pt 96 whose payload starts with <paramref name="nalHeader"/> (an H.264 NAL header, or a VP8 descriptor byte).</summary>
    private static byte[] H264(ushort sequenceNumber, byte nalHeader, uint ssrc = VideoSsrc, byte payloadType = 96)
    {
        var rtp = new byte[12 + 5];
        rtp[0] = 0x80;
        rtp[1] = (byte)(0x80 | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), 90000); // one access unit: SPS, PPS and IDR share it
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), ssrc);
        rtp[12] = nalHeader;
        rtp[13] = (byte)sequenceNumber;
        rtp[14] = 0xAA;
        rtp[15] = 0xBB;
        rtp[16] = 0xCC;
        return rtp;
    }

    /// <summary>
    /// Connects and waits until the server has its SRTP keys too: the client's handshake can end a
    /// moment before the server's, and SRTP that arrives before the keys cannot be authenticated.
    /// </summary>
    private static async Task<WhipClient> ConnectAsync(LoopbackWhipServer server, HttpClient http, string videoCodec = "H264")
    {
        WhipClient client = await WhipClient.ConnectAsync(http, LoopbackWhipServer.WhipUrl, Deadline, videoCodec: videoCodec);
        Assert.True(await Until(() => server.Session.State == WebRtcSessionState.Connected), "the server never finished its handshake");
        return client;
    }

    private static async Task<bool> Until(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static async Task<List<ushort>> ReadSequenceNumbers(MediaStreamReader reader, int count)
    {
        var read = new List<ushort>();
        await Until(() =>
        {
            while (reader.TryRead(out MediaPacket packet))
            {
                read.Add(packet.SequenceNumber);
                packet.Release();
            }

            return read.Count >= count;
        });
        return read;
    }

    [Fact]
    public async Task Decrypted_rtp_of_the_publisher_reaches_a_reader_of_the_stream()
    {
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        await using WhipClient client = await ConnectAsync(server, http);
        using MediaStreamReader reader = server.Subscribe();

        client.SendRtp(H264(1, 0x67)); // SPS
        client.SendRtp(H264(2, 0x68)); // PPS
        client.SendRtp(H264(3, 0x65)); // IDR

        Assert.Equal([1, 2, 3], await ReadSequenceNumbers(reader, 3));
        Assert.Equal(3, server.Session.PacketsReceived);
        Assert.Equal(VideoSsrc, reader.Stream.Tracks[0].PublisherSsrc);
        Assert.Equal("H264", reader.Stream.Tracks[0].Format.EncodingName);
        Assert.Equal("opus", reader.Stream.Tracks[1].Format.EncodingName);
    }

    [Fact]
    public async Task Srtp_with_a_bad_tag_or_from_another_ssrc_is_dropped_and_counted_not_published()
    {
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        await using WhipClient client = await ConnectAsync(server, http);
        using MediaStreamReader reader = server.Subscribe();
        client.SendRtp(H264(1, 0x65));
        Assert.Equal([1], await ReadSequenceNumbers(reader, 1));

        byte[] forged = client.Protect(H264(2, 0x65));
        forged[^1] ^= 0xFF;
        client.SendDatagram(forged);
        client.SendRtp(H264(3, 0x65, ssrc: 0x66666666));
        client.SendRtp(H264(4, 0x65));

        Assert.Equal([4], await ReadSequenceNumbers(reader, 1));
        Assert.Equal(2, server.Session.Ingest!.Rejected);
        Assert.Equal(2, server.Session.PacketsReceived);
    }

    [Fact]
    public async Task A_lost_packet_is_asked_for_with_a_nack_of_exactly_its_sequence_number()
    {
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        await using WhipClient client = await ConnectAsync(server, http);

        client.SendRtp(H264(100, 0x65));
        client.SendRtp(H264(101, 0x41));
        client.SendRtp(H264(103, 0x41)); // 102 is lost on the way in

        Assert.True(await Until(() => !client.Nacked.IsEmpty), "no NACK came");
        Assert.All(client.Nacked, sequenceNumber => Assert.Equal(102, sequenceNumber));
        Assert.True(server.Session.Ingest!.NacksSent >= 1);
    }

    [Fact]
    public async Task The_publisher_is_sent_a_pli_after_the_handshake_and_when_a_reader_joins_without_a_cached_keyframe()
    {
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        await using WhipClient client = await ConnectAsync(server, http);
        ushort sequenceNumber = 1;
        client.SendRtp(H264(sequenceNumber++, 0x41)); // not a keyframe: nothing is cached
        Assert.True(await Until(() => client.PictureLosses == 1), "no PLI after the handshake");

        using MediaStreamReader reader = server.Subscribe();

        // PLIs are at most one per 500 ms: the publisher's packets carry the request out when due.
        Assert.True(await Until(() =>
        {
            client.SendRtp(H264(sequenceNumber++, 0x41));
            return client.PictureLosses == 2;
        }), "no PLI when the reader joined");
    }

    [Fact]
    public async Task A_pli_from_a_webrtc_viewer_is_passed_on_to_the_publisher()
    {
        // VP8: the stream does not track its keyframes, so only the viewer's PLI can ask for one.
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        await using WhipClient publisher = await ConnectAsync(server, http, "VP8");
        ushort sequenceNumber = 1;
        publisher.SendRtp(H264(sequenceNumber++, 0x10));
        Assert.True(await Until(() => publisher.PictureLosses == 1), "no PLI after the handshake");
        await using WhepClient viewer = await WhepClient.ConnectAsync(http, LoopbackWhipServer.WhepUrl, Deadline);
        Assert.True(await Until(() =>
        {
            publisher.SendRtp(H264(sequenceNumber++, 0x10));
            return publisher.PictureLosses == 2 && viewer.RtpPackets > 0;
        }), "no PLI when the viewer joined");
        WebRtcSession whep = Assert.Single(server.Server.Sessions.All, s => !s.IsPublisher);
        Assert.Equal("VP8", whep.Answer.Tracks[0].Format.EncodingName);

        viewer.SendPictureLoss(whep.Answer.Tracks[0].Ssrc);

        Assert.True(await Until(() =>
        {
            publisher.SendRtp(H264(sequenceNumber++, 0x10));
            return publisher.PictureLosses == 3;
        }), "the viewer's PLI did not reach the publisher");
    }

    [Fact]
    public async Task The_stream_is_ready_once_dtls_is_done_and_ending_the_session_unpublishes_it()
    {
        using var server = new LoopbackWhipServer();
        using var http = new HttpClient(server, disposeHandler: false);
        var events = new System.Collections.Concurrent.ConcurrentQueue<StreamEvent>();
        server.Streams.Events.Raised += events.Enqueue;
        await using WhipClient client = await ConnectAsync(server, http);
        using MediaStreamReader reader = server.Subscribe();
        Assert.True(await Until(() => events.Any(e => e.Kind == StreamEventKind.Ready)), "no Ready event");
        Assert.Equal("webrtc", events.Single().Protocol);

        await server.Session.CloseAsync("test");

        Assert.True(await Until(() => reader.Stream.IsClosed && reader.IsCompleted), "the stream was not closed");
        Assert.Equal(0, server.Streams.Count);
        Assert.True(await Until(() => events.Any(e => e.Kind == StreamEventKind.NotReady)), "no NotReady event");
    }
}
