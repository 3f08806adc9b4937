using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MediaServer.Core.Metrics;

namespace MediaServer.Core.Net;

/// <summary>
/// The datagrams one egress loop queues on one UDP socket during a burst, sent together by
/// <see cref="Flush"/>: on 64-bit Linux with <c>sendmmsg(2)</c>, one system call for up to
/// <see cref="Capacity"/> datagrams instead of one per packet; elsewhere one SendTo each.
/// A datagram is built in place (<see cref="Reserve"/>, then <see cref="Commit"/>) in a slot of one
/// pinned buffer, so queueing and flushing copy no payload and allocate nothing.
/// Owned by a single loop: not thread-safe. Send failures never throw and never block: they are
/// counted and the datagram dropped, since a reader that went away times out elsewhere.
/// </summary>
public sealed partial class UdpSendBatch
{
    public const int DefaultCapacity = 64;

    // sockaddr_in6 is 28 bytes, sockaddr_in 16; a slot fits either.
    private const int AddressSlotLength = 32;

    private static readonly int HeaderSize = Marshal.SizeOf<MultipleMessageHeader>();

    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly int _slotLength;
    private readonly byte[] _payloads;
    private readonly byte[] _addresses;
    private readonly IoVector[] _vectors;
    private readonly MultipleMessageHeader[] _headers;
    private readonly IntPtr _headersAddress;
    private readonly int[] _lengths;
    private readonly SocketAddress?[] _destinations;
    private bool _batched;
    private int _count;
    private long _datagramsSent;
    private long _datagramsDropped;
    private long _sendCalls;

    public UdpSendBatch(Socket socket, int maxDatagramLength, int capacity = DefaultCapacity)
        : this(socket, maxDatagramLength, capacity, allowBatching: true)
    {
    }

    /// <summary>Tests: <paramref name="allowBatching"/> false takes the non-Linux path on Linux too.</summary>
    internal UdpSendBatch(Socket socket, int maxDatagramLength, int capacity, bool allowBatching)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024); // UIO_MAXIOV caps one sendmmsg

        _socket = socket;
        _handle = socket.SafeHandle;
        _slotLength = maxDatagramLength;
        Capacity = capacity;
        _lengths = new int[capacity];
        _destinations = new SocketAddress?[capacity];

        // The structs are laid out for LP64 only; a 32-bit process sends one datagram at a time.
        _batched = allowBatching && OperatingSystem.IsLinux() && IntPtr.Size == 8;

        // Pinned (pinned object heap) so the kernel can be handed addresses computed once, here.
        _payloads = GC.AllocateArray<byte>(capacity * maxDatagramLength, pinned: true);
        _addresses = GC.AllocateArray<byte>(capacity * AddressSlotLength, pinned: true);
        _headers = GC.AllocateArray<MultipleMessageHeader>(_batched ? capacity : 0, pinned: true);
        if (_batched)
        {
            IoVector[] vectors = GC.AllocateArray<IoVector>(capacity, pinned: true);
            _vectors = vectors;
            for (int i = 0; i < capacity; i++)
            {
                vectors[i].Base = Marshal.UnsafeAddrOfPinnedArrayElement(_payloads, i * maxDatagramLength);
                _headers[i].Header.Name = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, i * AddressSlotLength);
                _headers[i].Header.Vectors = Marshal.UnsafeAddrOfPinnedArrayElement(vectors, i);
                _headers[i].Header.VectorCount = 1;
            }

            _headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        }
        else
        {
            _vectors = [];
        }
    }

    /// <summary>Datagrams queued before an automatic flush.</summary>
    public int Capacity { get; }

    /// <summary>The largest datagram a slot holds; the span <see cref="Reserve"/> returns is this long.</summary>
    public int MaxDatagramLength => _slotLength;

    /// <summary>Datagrams queued and not yet flushed.</summary>
    public int Count => _count;

    /// <summary>Whether flushes use sendmmsg (false: one SendTo per datagram).</summary>
    public bool IsBatched => _batched;

    public long DatagramsSent => Volatile.Read(ref _datagramsSent);

    /// <summary>Datagrams the kernel refused (buffer full, unreachable, bad address) or that could not be queued.</summary>
    public long DatagramsDropped => Volatile.Read(ref _datagramsDropped);

    /// <summary>System calls made to send: the figure batching exists to keep small.</summary>
    public long SendCalls => Volatile.Read(ref _sendCalls);

    /// <summary>The free slot to build the next datagram in; <see cref="Commit"/> queues it.</summary>
    public Span<byte> Reserve() => _payloads.AsSpan(_count * _slotLength, _slotLength);

    /// <summary>Queues the first <paramref name="length"/> bytes of the reserved slot for <paramref name="destination"/>; flushes when the batch is full.</summary>
    public void Commit(int length, SocketAddress destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _slotLength);
        int addressLength = destination.Size;
        if (addressLength > AddressSlotLength)
        {
            // Not IPv4 or IPv6: nothing this server sends to.
            Drop(1);
            return;
        }

        int slot = _count;
        _lengths[slot] = length;
        _destinations[slot] = destination;
        if (_batched)
        {
            // SocketAddress holds the native sockaddr bytes, so they go to the kernel as they are.
            destination.Buffer.Span[..addressLength].CopyTo(_addresses.AsSpan(slot * AddressSlotLength, AddressSlotLength));
            _headers[slot].Header.NameLength = (uint)addressLength;
            _vectors[slot].Length = (nuint)length;
        }

        _count = slot + 1;
        if (_count == Capacity)
        {
            Flush();
        }
    }

    /// <summary>Sends everything queued, in order, with as few system calls as the kernel allows.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        int sent = _batched && s_segmentation ? SendSegmented() : 0;
        if (_batched && sent < _count)
        {
            sent = SendBatched(sent);
        }

        if (sent < _count)
        {
            SendEach(sent);
        }

        _count = 0;
    }

    /// <summary>
    /// Sends a datagram too large for a slot straight away, after what is queued so the order holds.
    /// </summary>
    public void SendNow(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        Flush();
        SendOne(datagram, destination);
    }

    /// <summary>sendmmsg of one datagram per entry from <paramref name="from"/> on; returns how many it dealt with.</summary>
    private int SendBatched(int from) =>
        SendMessages(_headersAddress + from * HeaderSize, _count - from, runLengths: null, from);

    /// <summary>
    /// sendmmsg until every entry went or was dropped. Entry k carries <c>runLengths[k]</c>
    /// datagrams (one each when null); <paramref name="done"/> datagrams before the first entry are
    /// already dealt with. Returns how many datagrams are dealt with: fewer than queued when a
    /// segmented run failed and the rest must go one datagram per entry.
    /// </summary>
    private int SendMessages(IntPtr headers, int messages, int[]? runLengths, int done)
    {
        int sent = 0;
        while (sent < messages)
        {
            int result;
            try
            {
                _sendCalls++;
                result = LinuxSocketCalls.SendMultipleMessages(
                    _handle, headers + sent * HeaderSize, (uint)(messages - sent), LinuxSocketCalls.DontWait);
            }
            catch (ObjectDisposedException)
            {
                // The transport closed under us: the session is ending anyway.
                Drop(_count - done);
                return _count;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without sendmmsg: from now on, one SendTo per datagram.
                _sendCalls--;
                _batched = false;
                return done;
            }

            if (result > 0)
            {
                // A short count means the next entry failed; the next call reports why.
                for (int k = sent; k < sent + result; k++)
                {
                    int datagrams = runLengths?[k] ?? 1;
                    done += datagrams;
                    _datagramsSent += datagrams;
                    if (datagrams > 1)
                    {
                        _segmentedRuns++;
                    }
                }

                sent += result;
                continue;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error == LinuxSocketCalls.Interrupted)
            {
                continue;
            }

            if (error is LinuxSocketCalls.WouldBlock or LinuxSocketCalls.NoBufferSpace)
            {
                // The socket buffer is full: the rest would fail the same way, one call each.
                Drop(_count - done);
                return _count;
            }

            if ((runLengths?[sent] ?? 1) > 1)
            {
                // A segmented run the kernel refused: the rest goes one datagram per entry.
                OnSegmentationRefused(error);
                return done;
            }

            // Anything else (ECONNREFUSED, EHOSTUNREACH, EACCES, EMSGSIZE ...) is about this one
            // datagram's destination or size: drop it and send the rest.
            Drop(1);
            done++;
            sent++;
        }

        return done;
    }

    private void SendEach(int from)
    {
        for (int i = from; i < _count; i++)
        {
            SendOne(_payloads.AsSpan(i * _slotLength, _lengths[i]), _destinations[i]!);
        }
    }

    private void SendOne(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        _sendCalls++;
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
            _datagramsSent++;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Drop(1);
        }
    }

    private void Drop(int count)
    {
        _datagramsDropped += count;
        PacketDrops.SendFailed.Inc(count);
    }
}
