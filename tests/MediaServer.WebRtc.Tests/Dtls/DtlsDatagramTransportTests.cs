using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Tests.Dtls;

public sealed class DtlsDatagramTransportTests
{
    [Fact]
    public void Queued_datagrams_are_received_in_order()
    {
        var transport = new DtlsDatagramTransport(_ => { });
        Assert.True(transport.Enqueue([22, 1, 2]));
        Assert.True(transport.Enqueue([23, 4]));
        var buffer = new byte[transport.GetReceiveLimit()];

        Assert.Equal(3, transport.Receive(buffer, 0, buffer.Length, 10));
        Assert.Equal([22, 1, 2], buffer[..3]);
        Assert.Equal(2, transport.Receive(buffer, 0, buffer.Length, 10));
        Assert.Equal([23, 4], buffer[..2]);
        Assert.Equal(0, transport.Count);
    }

    [Fact]
    public void A_receive_on_an_empty_queue_times_out_with_minus_one()
    {
        var transport = new DtlsDatagramTransport(_ => { });
        var buffer = new byte[transport.GetReceiveLimit()];

        Assert.Equal(-1, transport.Receive(buffer, 0, buffer.Length, 20));
    }

    [Fact]
    public void A_datagram_past_the_queue_capacity_is_dropped_and_counted()
    {
        var transport = new DtlsDatagramTransport(_ => { }, queueCapacity: 2);

        Assert.True(transport.Enqueue([22]));
        Assert.True(transport.Enqueue([22]));
        Assert.False(transport.Enqueue([22]));
        Assert.Equal(2, transport.Count);
        Assert.Equal(1, transport.DroppedDatagrams);
    }

    [Fact]
    public void Oversized_and_empty_datagrams_are_refused_and_counted()
    {
        var transport = new DtlsDatagramTransport(_ => { }, receiveLimit: 300);

        Assert.False(transport.Enqueue(new byte[301]));
        Assert.False(transport.Enqueue([]));
        Assert.True(transport.Enqueue(new byte[300]));
        Assert.Equal(2, transport.DroppedDatagrams);
    }

    [Fact]
    public async Task Close_unblocks_a_waiting_receive()
    {
        var transport = new DtlsDatagramTransport(_ => { });
        var buffer = new byte[transport.GetReceiveLimit()];
        using var waiting = new ManualResetEventSlim();
        Task<int> receive = Task.Factory.StartNew(
            () =>
            {
                waiting.Set();
                return transport.Receive(buffer, 0, buffer.Length, 0); // 0 = wait forever
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        waiting.Wait();

        transport.Close();

        await Assert.ThrowsAsync<IOException>(() => receive.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(transport.IsClosed);
        Assert.False(transport.Enqueue([22]));
    }

    [Fact]
    public void Sends_go_through_the_owners_callback_until_the_transport_is_closed()
    {
        var sent = new List<byte[]>();
        var transport = new DtlsDatagramTransport(d => sent.Add(d.ToArray()));

        transport.Send([1, 2, 3, 4], 1, 2);
        transport.Close();
        transport.Send([9], 0, 1);

        byte[] only = Assert.Single(sent);
        Assert.Equal([2, 3], only);
    }

    [Fact]
    public void A_socket_error_on_send_is_swallowed_and_leaves_the_transport_open()
    {
        var transport = new DtlsDatagramTransport(_ => throw new System.Net.Sockets.SocketException(10065));

        transport.Send([1], 0, 1);

        Assert.False(transport.IsClosed);
    }
}
