using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Net;

namespace MediaServer.Core.Tests.Net;

/// <summary>
/// Runs of equal-size datagrams to one destination leave as one segmented message (UDP_SEGMENT);
/// the receiver must see exactly the datagrams it would have seen without.
/// </summary>
public class UdpSegmentationTests
{
    private static bool Batched => OperatingSystem.IsLinux() && IntPtr.Size == 8;

    [Fact]
    public void A_frame_of_full_size_packets_and_a_short_last_one_arrives_as_the_same_datagrams()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender();
        var batch = new UdpSendBatch(sender, 1500);
        int[] sizes = [.. Enumerable.Repeat(1216, 14), 700];
        for (int i = 0; i < sizes.Length; i++)
        {
            Queue(batch, Datagram(i, sizes[i]), receiver.Address);
        }

        batch.Flush();

        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(Datagram(i, sizes[i]), receiver.Receive());
        }

        Assert.True(receiver.IsSilentFor(50));
        Assert.Equal(sizes.Length, batch.DatagramsSent);
        if (Batched && UdpSendBatch.SegmentationEnabled)
        {
            Assert.Equal(1, batch.SegmentedRuns); // one message for the whole frame
            Assert.Equal(1, batch.SendCalls);
        }
    }

    [Fact]
    public void Runs_end_where_the_size_grows_or_the_destination_changes_and_order_holds_per_receiver()
    {
        using var first = new LoopbackReceiver(IPAddress.Loopback);
        using var second = new LoopbackReceiver(IPAddress.Loopback);
        using Socket sender = NewSender();
        var batch = new UdpSendBatch(sender, 1500);
        (int Size, LoopbackReceiver To)[] plan =
        [
            (1000, first), (1000, first), (1000, first), (500, first), // one run of 4
            (1000, second), (1000, second),                           // one run of 2
            (800, first),                                             // alone
            (300, second), (900, second),                             // grows: two runs of 1
            (1200, first), (1200, first), (1200, first),              // one run of 3
        ];
        for (int i = 0; i < plan.Length; i++)
        {
            Queue(batch, Datagram(i, plan[i].Size), plan[i].To.Address);
        }

        batch.Flush();

        foreach (LoopbackReceiver receiver in new[] { first, second })
        {
            for (int i = 0; i < plan.Length; i++)
            {
                if (plan[i].To == receiver)
                {
                    Assert.Equal(Datagram(i, plan[i].Size), receiver.Receive());
                }
            }

            Assert.True(receiver.IsSilentFor(50));
        }

        Assert.Equal(plan.Length, batch.DatagramsSent);
        if (Batched && UdpSendBatch.SegmentationEnabled)
        {
            Assert.Equal(3, batch.SegmentedRuns);
        }
    }

    [Fact]
    public void With_segmentation_off_the_same_datagrams_arrive_one_message_each()
    {
        bool was = UdpSendBatch.SegmentationEnabled;
        UdpSendBatch.SegmentationEnabled = false;
        try
        {
            using var receiver = new LoopbackReceiver(IPAddress.Loopback);
            using Socket sender = NewSender();
            var batch = new UdpSendBatch(sender, 1500);
            for (int i = 0; i < 5; i++)
            {
                Queue(batch, Datagram(i, 1100), receiver.Address);
            }

            batch.Flush();

            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(Datagram(i, 1100), receiver.Receive());
            }

            Assert.Equal(0, batch.SegmentedRuns);
            Assert.Equal(5, batch.DatagramsSent);
        }
        finally
        {
            UdpSendBatch.SegmentationEnabled = was;
        }
    }

    private static Socket NewSender()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static void Queue(UdpSendBatch batch, byte[] datagram, SocketAddress destination)
    {
        datagram.CopyTo(batch.Reserve());
        batch.Commit(datagram.Length, destination);
    }

    private static byte[] Datagram(int index, int length)
    {
        var datagram = new byte[length];
        for (int i = 0; i < datagram.Length; i++)
        {
            datagram[i] = (byte)(index * 13 + i * 7);
        }

        return datagram;
    }
}
