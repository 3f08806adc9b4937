using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Net;
using MediaServer.Rtsp.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtsp.Tests.Server.Egress;

/// <summary>
/// The UDP transport of an RTSP reader's egress: packets queued in a send batch lent per burst,
/// which goes back to the server's pool at each flush and when the loop exits mid-burst.
/// </summary>
public sealed class RtspUdpSinkTests : IDisposable
{
    private readonly RtspUdpTransport _udp = new(new RtspOptions { Address = "127.0.0.1", RtpPort = 0 }, NullLogger<RtspUdpTransport>.Instance);
    private readonly Socket _player = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10_000 };
    private readonly RtspSession _session;
    private readonly SessionTrack _track = new(0);

    public RtspUdpSinkTests()
    {
        _player.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _session = new RtspSession("udp-sink", connection: null!);
        _track.RtpSink = new UdpTrackSink(_session, 0, (IPEndPoint)_player.LocalEndPoint!, isRtcp: false, _udp);
    }

    [Fact]
    public void A_burst_cut_short_by_a_stop_still_leaves_and_its_batch_goes_back_to_the_pool()
    {
        var sink = new RtspUdpSink(_session, _udp);
        sink.SendRtp(_track, TestMedia.Rtp(1, 3000, 0x65, tag: 9), timestamp: 7000);

        sink.OnExited(); // what the loop calls when it stops between a packet and the burst's flush

        byte[] datagram = Receive();
        Assert.Equal(9, datagram[^1]);
        Assert.Equal(7000u, BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)));
        Assert.Equal(_track.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(8)));
        UdpSendBatchPool pool = _udp.RtpBatches;
        UdpSendBatch again = pool.Rent();
        Assert.Equal(1, pool.Created); // the burst's batch, not a new one
        pool.Return(again);
    }

    [Fact]
    public async Task Bursts_reuse_one_batch_and_a_packet_too_large_for_it_leaves_alone_with_its_sequence_in_order()
    {
        var sink = new RtspUdpSink(_session, _udp);
        for (int burst = 0; burst < 3; burst++)
        {
            sink.SendRtp(_track, TestMedia.Rtp(1, 3000, 0x41, tag: (byte)burst), timestamp: 3000);
            Assert.True(await sink.FlushAsync());
        }

        sink.SendRtp(_track, TestMedia.Rtp(1, 3000, 0x41, tag: 3, payloadBytes: 4000), timestamp: 3000);
        Assert.True(await sink.FlushAsync());

        ushort first = BinaryPrimitives.ReadUInt16BigEndian(Receive().AsSpan(2));
        for (int i = 1; i <= 3; i++)
        {
            byte[] datagram = Receive();
            Assert.Equal((ushort)(first + i), BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)));
            Assert.Equal(i, datagram[^1]);
        }

        Assert.Equal(1, _udp.RtpBatches.Created);
    }

    public void Dispose()
    {
        _player.Dispose();
        _udp.Dispose();
    }

    private byte[] Receive()
    {
        byte[] buffer = new byte[8192];
        int length = _player.Receive(buffer);
        return buffer[..length];
    }
}
