using System.Buffers;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// The datagram pipe between the shared ICE-lite UDP socket and one session's DTLS stack.
/// The socket's receive loop pushes this session's DTLS datagrams in with <see cref="Enqueue"/>;
/// BouncyCastle pulls them with <see cref="Receive(byte[], int, int, int)"/> on its own thread,
/// and sends through the owner's callback. The queue is bounded: a flood is dropped, not buffered.
/// </summary>
/// <remarks>
/// A lock guards the queue: DTLS datagrams are a handful per session (handshake, alerts), never
/// the media path, so simplicity wins over lock-freedom here.
/// </remarks>
public sealed class DtlsDatagramTransport : DatagramTransport
{
    /// <summary>Largest datagram accepted; browsers keep DTLS datagrams within a 1500-byte MTU.</summary>
    public const int DefaultReceiveLimit = 1500;

    /// <summary>Largest datagram BouncyCastle may send; it fragments handshake messages to fit.</summary>
    public const int DefaultSendLimit = 1200;

    /// <summary>Datagrams held before new ones are dropped; a whole client flight fits several times over.</summary>
    public const int DefaultQueueCapacity = 16;

    private readonly Action<ReadOnlySpan<byte>> _send;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private readonly byte[]?[] _buffers;
    private readonly int[] _lengths;
    // A plain object, not System.Threading.Lock: Receive waits with Monitor.Wait, which needs a monitor.
    private readonly object _gate = new();
    private int _head;
    private int _count;
    private bool _closed;
    private long _dropped;
    private Action? _datagramQueued;

    /// <param name="send">
    /// Sends one datagram to the peer (e.g. <c>socket.SendTo(d, remote)</c>). Called from the
    /// handshake thread, the thread pool and <see cref="DtlsServerSession.Close"/>, so it must be thread-safe.
    /// </param>
    public DtlsDatagramTransport(
        Action<ReadOnlySpan<byte>> send,
        int receiveLimit = DefaultReceiveLimit,
        int sendLimit = DefaultSendLimit,
        int queueCapacity = DefaultQueueCapacity)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveLimit, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(sendLimit, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _send = send;
        _receiveLimit = receiveLimit;
        _sendLimit = sendLimit;
        _buffers = new byte[queueCapacity][];
        _lengths = new int[queueCapacity];
    }

    /// <summary>Datagrams waiting to be read.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Datagrams refused because the queue was full, they were too large, or the transport was closed.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    /// <summary>Whether <see cref="Close"/> has run (by the owner, or by BouncyCastle after close_notify or a failure).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Set by the session once the handshake is done, so later datagrams get processed without a waiting thread.</summary>
    internal Action? DatagramQueued
    {
        get => Volatile.Read(ref _datagramQueued);
        set => Volatile.Write(ref _datagramQueued, value);
    }

    /// <summary>
    /// Queues one DTLS datagram from the network (copied into a pooled buffer). Returns false when
    /// it was dropped: empty, larger than the receive limit, queue full, or transport closed.
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || datagram.Length > _receiveLimit)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        lock (_gate)
        {
            if (_closed || _count == _buffers.Length)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(buffer);
            int tail = (_head + _count) % _buffers.Length;
            _buffers[tail] = buffer;
            _lengths[tail] = datagram.Length;
            _count++;
            Monitor.Pulse(_gate);
        }

        DatagramQueued?.Invoke();
        return true;
    }

    /// <inheritdoc />
    public int GetReceiveLimit() => _receiveLimit;

    /// <inheritdoc />
    public int GetSendLimit() => _sendLimit;

    /// <summary>
    /// Takes the next datagram, waiting up to <paramref name="waitMillis"/> (0 = forever, as
    /// BouncyCastle defines it). Returns -1 on timeout. Throws <see cref="IOException"/> once
    /// closed, because BouncyCastle retries a -1 until its own deadline and a closed transport must
    /// end a blocked handshake at once.
    /// </summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <inheritdoc cref="Receive(byte[], int, int, int)"/>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        long deadline = waitMillis > 0 ? Environment.TickCount64 + waitMillis : long.MaxValue;
        byte[]? datagram;
        int length;
        lock (_gate)
        {
            while (_count == 0)
            {
                if (_closed)
                {
                    throw new IOException("The DTLS transport is closed.");
                }

                if (deadline == long.MaxValue)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, (int)remaining);
            }

            if (_closed)
            {
                throw new IOException("The DTLS transport is closed.");
            }

            datagram = _buffers[_head];
            length = _lengths[_head];
            _buffers[_head] = null;
            _head = (_head + 1) % _buffers.Length;
            _count--;
        }

        // BouncyCastle always offers GetReceiveLimit() bytes, and Enqueue refuses anything larger.
        int copied = Math.Min(length, buffer.Length);
        datagram.AsSpan(0, copied).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(datagram!);
        return copied;
    }

    /// <inheritdoc />
    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    /// <summary>Sends through the owner's callback; after <see cref="Close"/> datagrams are discarded.</summary>
    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            _send(buffer);
        }
        catch (SocketException)
        {
            // UDP gives no delivery promise anyway; DTLS retransmits handshake flights, and failing the
            // whole session over one transient send error (e.g. ICMP unreachable) would be worse.
        }
    }

    /// <summary>Closes the pipe: wakes a blocked <see cref="Receive(byte[], int, int, int)"/>, frees queued buffers, refuses further datagrams.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            while (_count > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffers[_head]!);
                _buffers[_head] = null;
                _head = (_head + 1) % _buffers.Length;
                _count--;
            }

            Monitor.PulseAll(_gate);
        }
    }
}
