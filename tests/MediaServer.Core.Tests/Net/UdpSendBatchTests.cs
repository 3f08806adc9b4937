using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MediaServer.Core.Net;

namespace MediaServer.Core.Tests.Net;

public class UdpSendBatchTests
{
    [Fact]
    public void Native_structs_have_the_64_bit_linux_layout()
    {
        if (IntPtr.Size != 8)
        {
            return; // the batch sends one datagram at a time there and never hands these over
        }

        Assert.Equal(16, Marshal.SizeOf<IoVector>());
        Assert.Equal(56, Marshal.SizeOf<MessageHeader>());
        Assert.Equal(64, Marshal.SizeOf<MultipleMessageHeader>());
        Assert.Equal(16, (int)Marshal.OffsetOf<MessageHeader>(nameof(MessageHeader.Vectors)));
        Assert.Equal(48, (int)Marshal.OffsetOf<MessageHeader>(nameof(MessageHeader.Flags)));
        Assert.Equal(56, (int)Marshal.OffsetOf<MultipleMessageHeader>(nameof(MultipleMessageHeader.SentLength)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    public void Flush_delivers_every_datagram_in_order_with_its_exact_bytes(string loopbackText, bool allowBatching)
    {
        IPAddress loopback = IPAddress.Parse(loopbackText);
        if (!LoopbackReceiver.IsAvailable(loopback))
        {
            return; // no IPv6 on this machine
        }

        using var receiver = new LoopbackReceiver(loopback);
        using Socket sender = NewSender(loopback);
        var batch = new UdpSendBatch(sender, 1500, 64, allowBatching);
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            Queue(batch, Datagram(i), receiver.Address);
        }

        Assert.Equal(count, batch.Count);
        batch.Flush();

        Assert.Equal(0, batch.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Datagram(i), receiver.Receive());
        }

        Assert.Equal(count, batch.DatagramsSent);
        Assert.Equal(0, batch.DatagramsDropped);
        Assert.Equal(batch.IsBatched ? 1 : count, batch.SendCalls);
        Assert.Equal(allowBatching && OperatingSystem.IsLinux() && IntPtr.Size == 8, batch.IsBatched);
    }

    [Fact]
    public void A_full_batch_flushes_itself()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500, capacity: 4);

        for (int i = 0; i < 3; i++)
        {
            Queue(batch, Datagram(i), receiver.Address);
        }

        Assert.True(receiver.IsSilentFor(100));
        Queue(batch, Datagram(3), receiver.Address);
        Queue(batch, Datagram(4), receiver.Address);

        Assert.Equal(1, batch.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Datagram(i), receiver.Receive());
        }

        Assert.True(receiver.IsSilentFor(100));
        batch.Flush();
        Assert.Equal(Datagram(4), receiver.Receive());
    }

    [Fact]
    public void Datagrams_to_different_destinations_go_to_each()
    {
        using var audio = new LoopbackReceiver(IPAddress.Loopback);
        using var video = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500);

        Queue(batch, Datagram(1), video.Address);
        Queue(batch, Datagram(2), audio.Address);
        Queue(batch, Datagram(3), video.Address);
        batch.Flush();

        Assert.Equal(Datagram(1), video.Receive());
        Assert.Equal(Datagram(3), video.Receive());
        Assert.Equal(Datagram(2), audio.Receive());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sending_to_a_closed_port_does_not_throw_and_every_datagram_is_counted(bool allowBatching)
    {
        SocketAddress closed;
        using (var gone = new LoopbackReceiver(IPAddress.Loopback))
        {
            closed = gone.Address;
        }

        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500, 64, allowBatching);
        for (int round = 0; round < 3; round++)
        {
            // An unconnected socket is not told of the port-unreachable on Linux, so later rounds
            // fare like the first; elsewhere an error may surface: either way each one is counted.
            for (int i = 0; i < 5; i++)
            {
                Queue(batch, Datagram(i), closed);
            }

            batch.Flush();
        }

        Assert.Equal(15, batch.DatagramsSent + batch.DatagramsDropped);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_refused_datagram_is_dropped_and_counted_and_the_rest_still_go(bool allowBatching)
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500, 64, allowBatching);

        // Without SO_BROADCAST the kernel refuses the broadcast address (EACCES) at once.
        SocketAddress broadcast = new IPEndPoint(IPAddress.Broadcast, receiver.EndPoint.Port).Serialize();
        Queue(batch, Datagram(1), receiver.Address);
        Queue(batch, Datagram(2), broadcast);
        Queue(batch, Datagram(3), receiver.Address);
        batch.Flush();

        Assert.Equal(Datagram(1), receiver.Receive());
        Assert.Equal(Datagram(3), receiver.Receive());
        Assert.Equal(2, batch.DatagramsSent);
        Assert.Equal(1, batch.DatagramsDropped);
    }

    [Fact]
    public void A_closed_socket_drops_instead_of_throwing()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500);
        Queue(batch, Datagram(1), receiver.Address);
        sender.Dispose();

        batch.Flush();

        Assert.Equal(1, batch.DatagramsDropped);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void SendNow_sends_what_was_queued_first()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 100);
        byte[] large = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

        Queue(batch, Datagram(1)[..100], receiver.Address);
        batch.SendNow(large, receiver.Address);

        Assert.Equal(Datagram(1)[..100], receiver.Receive());
        Assert.Equal(large, receiver.Receive());
    }

    [Fact]
    public void Steady_state_queueing_and_flushing_allocates_nothing()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender(IPAddress.Loopback);
        var batch = new UdpSendBatch(sender, 1500);
        byte[] payload = Datagram(7);

        void Burst()
        {
            for (int i = 0; i < 10; i++)
            {
                Span<byte> slot = batch.Reserve();
                payload.CopyTo(slot);
                batch.Commit(payload.Length, receiver.Address);
            }

            batch.Flush();
        }

        for (int i = 0; i < 50; i++)
        {
            Burst();
        }

        receiver.Drain();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Burst();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        receiver.Drain();
        Assert.Equal(0, allocated);
        Assert.Equal(2500, batch.DatagramsSent);
    }

    private static Socket NewSender(IPAddress loopback)
    {
        var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(loopback, 0));
        return socket;
    }

    private static void Queue(UdpSendBatch batch, byte[] datagram, SocketAddress destination)
    {
        datagram.CopyTo(batch.Reserve());
        batch.Commit(datagram.Length, destination);
    }

    /// <summary>Datagram <paramref name="index"/>: its own length and bytes, so a swap or a cut shows.</summary>
    private static byte[] Datagram(int index)
    {
        var datagram = new byte[200 + (index * 37 % 1000)];
        for (int i = 0; i < datagram.Length; i++)
        {
            datagram[i] = (byte)(index * 31 + i);
        }

        return datagram;
    }
}
