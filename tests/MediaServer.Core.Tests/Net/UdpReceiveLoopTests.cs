using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaServer.Core.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Core.Tests.Net;

public class UdpReceiveLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hands_each_datagram_and_its_source_to_the_handler_and_survives_a_handler_that_throws()
    {
        using Socket server = Bound();
        using Socket client = Bound();
        var received = new BlockingCollection<(string Text, EndPoint From)>();
        var loop = new UdpReceiveLoop<Recorder>(server, new Recorder(received), "test-udp", "Test", NullLogger.Instance);

        foreach (string text in new[] { "one", "throw", "two" })
        {
            client.SendTo(Encoding.ASCII.GetBytes(text), server.LocalEndPoint!);
        }

        Assert.True(received.TryTake(out var first, Deadline));
        Assert.True(received.TryTake(out var second, Deadline));
        Assert.Equal("one", first.Text);
        Assert.Equal("two", second.Text);
        Assert.Equal(client.LocalEndPoint, first.From);

        loop.Stop();
        server.Dispose();
        await loop.Completion.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Ends_when_stopped_and_its_socket_is_disposed()
    {
        Socket server = Bound();
        var loop = new UdpReceiveLoop<Recorder>(server, new Recorder(new BlockingCollection<(string, EndPoint)>()), "test-udp", "Test", NullLogger.Instance);
        Assert.False(loop.Completion.IsCompleted);

        loop.Stop();
        server.Dispose();

        await loop.Completion.WaitAsync(Deadline);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private readonly struct Recorder(BlockingCollection<(string Text, EndPoint From)> received) : IDatagramHandler
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
        {
            string text = Encoding.ASCII.GetString(datagram);
            if (text == "throw")
            {
                throw new InvalidOperationException("handler failed");
            }

            received.Add((text, new IPEndPoint(IPAddress.Any, 0).Create(from)));
        }
    }
}
