using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Net;

namespace MediaServer.Core.Tests.Net;

public class UdpSendBatchPoolTests
{
    [Fact]
    public void A_batch_lent_per_burst_is_reused_so_many_bursts_make_one_batch()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var pool = new UdpSendBatchPool(socket, 1500);
        for (int burst = 0; burst < 100; burst++)
        {
            pool.Return(pool.Rent());
        }

        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public void Loops_sending_at_the_same_time_get_different_batches()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var pool = new UdpSendBatchPool(socket, 1500);
        UdpSendBatch first = pool.Rent();
        UdpSendBatch second = pool.Rent();

        Assert.NotSame(first, second);
        Assert.Equal(2, pool.Created);
        pool.Return(first);
        pool.Return(second);
        Assert.Equal(2, pool.Created);
        pool.Return(pool.Rent());
        Assert.Equal(2, pool.Created);
    }

    [Fact]
    public void Returning_a_batch_sends_what_it_still_holds()
    {
        using var receiver = new LoopbackReceiver(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var pool = new UdpSendBatchPool(socket, 1500);
        UdpSendBatch batch = pool.Rent();
        batch.Reserve()[..3].Fill(7);
        batch.Commit(3, receiver.Address);

        pool.Return(batch);

        Assert.Equal(0, batch.Count);
        Assert.Equal(1, batch.DatagramsSent);
        Assert.Equal(new byte[] { 7, 7, 7 }, receiver.Receive());
    }
}
