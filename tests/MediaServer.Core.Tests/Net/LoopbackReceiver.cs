using System.Net;
using System.Net.Sockets;

namespace MediaServer.Core.Tests.Net;

/// <summary>A UDP socket on a loopback port chosen by the kernel, read with a timeout.</summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];

    public LoopbackReceiver(IPAddress loopback)
    {
        _socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 4 * 1024 * 1024,
            ReceiveTimeout = 2000,
        };
        _socket.Bind(new IPEndPoint(loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        Address = EndPoint.Serialize();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Where a sender aims: the native form the batch copies to the kernel.</summary>
    public SocketAddress Address { get; }

    /// <summary>Whether this machine can bind <paramref name="loopback"/> (IPv6 may be off).</summary>
    public static bool IsAvailable(IPAddress loopback)
    {
        try
        {
            using var probe = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public byte[] Receive()
    {
        int length = _socket.Receive(_buffer);
        return _buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>True if no datagram arrives within <paramref name="milliseconds"/>.</summary>
    public bool IsSilentFor(int milliseconds) => !_socket.Poll(milliseconds * 1000, SelectMode.SelectRead);

    /// <summary>Reads whatever is queued without waiting; returns how many datagrams it took.</summary>
    public int Drain()
    {
        int drained = 0;
        while (_socket.Available > 0)
        {
            _socket.Receive(_buffer);
            drained++;
        }

        return drained;
    }

    public void Dispose() => _socket.Dispose();
}
