using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// The latency any relay would show here: a stamped message every millisecond goes from a
/// sender thread over loopback TCP to a trivial relay loop, which writes it to a second loopback
/// connection read by an async reader, the same hops (and thread wake-ups) a packet takes through
/// the server, minus the server. Measured during the run, so it has the same machine load; what the
/// server adds is the readers' latency above this floor.
/// </summary>
internal sealed class LoopbackFloor : IAsyncDisposable
{
    private const int MessageLength = 16;
    private readonly LatencyHistogram _latency = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private Task _relay = Task.CompletedTask;
    private Task _reader = Task.CompletedTask;
    private Thread? _sender;

    public LatencyHistogram Latency => _latency;

    public static async Task<LoopbackFloor> StartAsync()
    {
        var floor = new LoopbackFloor();
        (Socket send, Socket relayIn) = await PairAsync();
        (Socket relayOut, Socket receive) = await PairAsync();
        floor._sockets.AddRange([send, relayIn, relayOut, receive]);
        floor._relay = floor.RelayAsync(relayIn, relayOut);
        floor._reader = floor.ReadAsync(receive);
        floor._sender = new Thread(() => floor.Send(send)) { IsBackground = true, Name = "loopback-floor" };
        floor._sender.Start();
        return floor;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_relay, _reader);
        _sender?.Join();
        _stop.Dispose();
    }

    private void Send(Socket socket)
    {
        byte[] message = new byte[MessageLength];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                BinaryPrimitives.WriteInt64BigEndian(message, Stopwatch.GetTimestamp());
                socket.Send(message);
                Thread.Sleep(1);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[4096];
        try
        {
            int received;
            while ((received = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task ReadAsync(Socket socket)
    {
        byte[] buffer = new byte[4096];
        int filled = 0;
        try
        {
            int received;
            while ((received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token)) > 0)
            {
                filled += received;
                int offset = 0;
                for (; filled - offset >= MessageLength; offset += MessageLength)
                {
                    _latency.Record(LatencyStamp.ElapsedNanoseconds(BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(offset))));
                }

                buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                filled -= offset;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task<(Socket Client, Socket Server)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Task<Socket> accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        Socket server = await accept;
        server.NoDelay = true;
        return (client, server);
    }
}
