using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// A poor network between one UDP client and one UDP server, on loopback: the client sends to
/// <see cref="ClientSidePort"/>, the relay forwards from <see cref="ServerSidePort"/>, so the
/// server sees (and answers) the relay; datagrams both ways are lost, duplicated and reordered
/// according to <see cref="UdpFaults"/>, with a seeded random source so a failing run can be
/// replayed. Each direction is one thread with a short receive timeout; both stop on dispose or
/// at the relay's lifetime, whichever comes first.
/// </summary>
internal sealed class FaultyUdpRelay : IDisposable
{
    private const int IdleFlushMs = 30;

    private readonly Socket _clientSide;
    private readonly Socket _serverSide;
    private readonly UdpFaults _faults;
    private readonly long _stopAt;
    private readonly Thread[] _threads;
    private volatile bool _disposed;
    private IPEndPoint? _client;
    private readonly FaultCounters _counters;
    private IPEndPoint? _server;
    private uint? _ssrc;
    private readonly System.Collections.Concurrent.ConcurrentQueue<byte[]> _captured = new();
    private const int CaptureLimit = 64;

    public FaultyUdpRelay(UdpFaults faults, FaultCounters counters, int seed, TimeSpan lifetime, IPEndPoint? server = null, IPEndPoint? client = null)
    {
        _faults = faults;
        _counters = counters;
        _server = server;
        _client = client;
        _stopAt = Environment.TickCount64 + (long)lifetime.TotalMilliseconds;
        _clientSide = Bind();
        _serverSide = Bind();
        // Kept as numbers: the hostile tenant reads them from other threads, also after the relay closed.
        ClientSidePort = ((IPEndPoint)_clientSide.LocalEndPoint!).Port;
        ServerSidePort = ((IPEndPoint)_serverSide.LocalEndPoint!).Port;
        _threads =
        [
            new Thread(() => Pump(_clientSide, _serverSide, fromClient: true, new Random(seed))) { IsBackground = true, Name = "relay-up" },
            new Thread(() => Pump(_serverSide, _clientSide, fromClient: false, new Random(seed ^ 0x5EED))) { IsBackground = true, Name = "relay-down" },
        ];
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    public int ClientSidePort { get; }

    public int ServerSidePort { get; }

    /// <summary>Where server datagrams go; learned from the client's first datagram when not given.</summary>
    public IPEndPoint? Client
    {
        get => Volatile.Read(ref _client);
        set => Volatile.Write(ref _client, value);
    }

    /// <summary>Where client datagrams go; until known, they are dropped (and not counted as faults).</summary>
    public IPEndPoint? Server
    {
        get => Volatile.Read(ref _server);
        set => Volatile.Write(ref _server, value);
    }

    /// <summary>The RTSP path whose session this relay carries, when an RTSP proxy made it.</summary>
    public string? Path { get; init; }

    /// <summary>The last RTP datagrams the client sent up (copies), for a test that replays them elsewhere.</summary>
    public byte[][] CapturedUpstream => [.. _captured];

    /// <summary>
    /// Sends <paramref name="datagram"/> to the server from the relay's server-side address, the
    /// address the server knows the client by: what another program behind the client's NAT could do.
    /// </summary>
    public bool InjectToServer(ReadOnlySpan<byte> datagram)
    {
        if (Server is not { } server || _disposed)
        {
            return false;
        }

        try
        {
            _serverSide.SendTo(datagram, SocketFlags.None, server);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (Thread thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        _clientSide.Dispose();
        _serverSide.Dispose();
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1024 * 1024 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private void Pump(Socket from, Socket to, bool fromClient, Random random)
    {
        byte[] buffer = new byte[65536];
        byte[] held = new byte[65536];
        int heldLength = 0;
        EndPoint source = new IPEndPoint(IPAddress.Any, 0);
        while (!_disposed && Environment.TickCount64 < _stopAt)
        {
            int length;
            try
            {
                if (!from.Poll(IdleFlushMs * 1000, SelectMode.SelectRead))
                {
                    // Idle: a held datagram must not wait for a next one that may never come.
                    Flush(to, fromClient, held, ref heldLength);
                    continue;
                }

                length = from.ReceiveFrom(buffer, ref source);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_disposed)
                {
                    return;
                }

                continue;
            }

            if (fromClient)
            {
                _client ??= (IPEndPoint)source;
                Capture(buffer.AsSpan(0, length));
            }
            else
            {
                CheckSsrc(buffer.AsSpan(0, length));
            }

            if ((fromClient ? Server : Client) is null)
            {
                continue;
            }

            double roll = random.NextDouble();
            if (roll < _faults.Loss)
            {
                _counters.CountDropped();
                continue;
            }

            if (heldLength == 0 && roll < _faults.Loss + _faults.Reorder)
            {
                buffer.AsSpan(0, length).CopyTo(held);
                heldLength = length;
                _counters.CountReordered();
                continue;
            }

            Send(to, fromClient, buffer.AsSpan(0, length));
            if (roll < _faults.Loss + _faults.Reorder + _faults.Duplicate)
            {
                Send(to, fromClient, buffer.AsSpan(0, length));
                _counters.CountDuplicated();
            }

            Flush(to, fromClient, held, ref heldLength);
        }
    }

    private void Capture(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length >= 12 && (datagram[0] & 0xC0) == 0x80 && datagram[1] is < 200 or > 204)
        {
            _captured.Enqueue(datagram.ToArray());
            while (_captured.Count > CaptureLimit && _captured.TryDequeue(out _))
            {
            }
        }
    }

    /// <summary>One session per client port: every RTP packet the server sends here must carry the same SSRC.</summary>
    private void CheckSsrc(ReadOnlySpan<byte> datagram)
    {
        // RTP version 2, and not RTCP (payload types 72–76 with the marker bit, i.e. 200–204).
        if (datagram.Length < 12 || (datagram[0] & 0xC0) != 0x80 || datagram[1] is >= 200 and <= 204)
        {
            return;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        if (_ssrc is null)
        {
            _ssrc = ssrc;
        }
        else if (_ssrc != ssrc)
        {
            _counters.CountStraySsrc();
        }
    }

    private void Flush(Socket to, bool fromClient, byte[] held, ref int heldLength)
    {
        if (heldLength > 0)
        {
            Send(to, fromClient, held.AsSpan(0, heldLength));
            heldLength = 0;
        }
    }

    private void Send(Socket to, bool fromClient, ReadOnlySpan<byte> datagram)
    {
        IPEndPoint? destination = fromClient ? Server : Client;
        if (destination is null)
        {
            return;
        }

        try
        {
            to.SendTo(datagram, SocketFlags.None, destination);
            _counters.CountForwarded();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer's port is gone (it is reconnecting); like a real network, say nothing.
        }
    }
}
