using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>
/// A reader that chose RTP/AVP over UDP: what arrives at its client port, datagram by datagram,
/// now that egress queues each burst in a send batch (one sendmmsg on Linux) and flushes once.
/// </summary>
public class RtspUdpReaderTests
{
    [Fact]
    public async Task Udp_reader_gets_every_packet_of_a_burst_in_order_with_exact_bytes_including_one_too_large_to_batch()
    {
        // The publisher's timestamps pass through unchanged only without a catch-up join, whose
        // squeeze applies once the cached keyframe is older than the replay threshold at PLAY.
        await using MediaServerHost host = await TestServer.StartAsync("--Rtsp:JoinMode=gop");
        await using RawRtspClient publisher = await TestMedia.PublishAsync(host, "cam1");
        await TestMedia.SendKeyframeAsync(publisher, 100, 9000, tag: 7);

        using var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var rtcp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        rtp.Client.ReceiveBufferSize = 4 * 1024 * 1024;
        int rtpPort = ((IPEndPoint)rtp.Client.LocalEndPoint!).Port;
        int rtcpPort = ((IPEndPoint)rtcp.Client.LocalEndPoint!).Port;

        await using RawRtspClient reader = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply describe = await reader.RequestAsync("DESCRIBE", host.Url("cam1"), "Accept: application/sdp");
        Assert.Equal(200, describe.Status);
        RtspReply setup = await reader.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0",
            $"Transport: RTP/AVP;unicast;client_port={rtpPort}-{rtcpPort}");
        Assert.Equal(200, setup.Status);
        string ssrcText = setup["Transport"]!.Split(';').Single(p => p.StartsWith("ssrc=", StringComparison.Ordinal))[5..];
        uint ssrc = Convert.ToUInt32(ssrcText, 16);
        Assert.Equal(200, (await reader.RequestAsync("PLAY", host.Url("cam1"))).Status);

        // The cached GOP first: the reader is live once it has it.
        byte[] first = await ReceiveAsync(rtp);
        Assert.Equal(0x67, first[12]);
        ushort previous = Sequence(first);
        for (int i = 0; i < 2; i++)
        {
            byte[] cached = await ReceiveAsync(rtp);
            Assert.Equal((ushort)(previous + 1), Sequence(cached));
            previous = Sequence(cached);
        }

        // More than one batch (64) of packets, with one over the 1,500-byte slot in the middle.
        const int burst = 150;
        const int large = 70;
        var sent = new List<byte[]>();
        for (int i = 0; i < burst; i++)
        {
            byte[] packet = Packet((ushort)(103 + i), 12000u + (uint)i * 3000, i, i == large ? 3000 : 100 + i * 7);
            sent.Add(packet);
            await publisher.SendInterleavedAsync(0, packet);
        }

        for (int i = 0; i < burst; i++)
        {
            byte[] received = await ReceiveAsync(rtp);
            Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(received.AsSpan(8)));
            Assert.Equal((ushort)(previous + 1), Sequence(received));
            previous = Sequence(received);

            // Everything but the sequence number and SSRC the server rewrote is the publisher's.
            Assert.Equal(sent[i].Length, received.Length);
            Assert.Equal(sent[i].AsSpan(12).ToArray(), received.AsSpan(12).ToArray());
            Assert.Equal(sent[i].AsSpan(4, 4).ToArray(), received.AsSpan(4, 4).ToArray());
        }
    }

    private static ushort Sequence(byte[] rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));

    private static async Task<byte[]> ReceiveAsync(UdpClient client) =>
        (await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10))).Buffer;

    /// <summary>A non-IDR slice whose bytes all say which packet it is.</summary>
    private static byte[] Packet(ushort seq, uint timestamp, int index, int length)
    {
        byte[] packet = TestMedia.Rtp(seq, timestamp, 0x41, 0);
        Array.Resize(ref packet, length);
        for (int i = 13; i < length; i++)
        {
            packet[i] = (byte)(index + i);
        }

        return packet;
    }
}
