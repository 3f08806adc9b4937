using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MediaServer.Core.Packets;

namespace MediaServer.Core.Streams;

/// <summary>
/// A bounded single-producer/single-consumer queue of packet references: the stream's publisher
/// writes, one reader's egress loop reads. No locks; head and tail live on separate cache lines
/// so producer and consumer do not false-share. Beside each index sits the count of bytes that
/// side has moved, written only by that side, so the bytes queued cost no interlocked operation.
/// <para>
/// The slots come in segments of up to 128 linked as the queue grows, so a reader costs memory
/// for what it has queued, not for its bound: an idle reader holds one 1 KiB segment instead of
/// a 32 KiB array sized for a whole GOP. The consumer hands each segment it finishes back through
/// a one-segment spare, so a queue that stays short reuses two segments and allocates nothing;
/// only a queue that grows past them (a cached GOP replayed at start) allocates, once per segment.
/// </para>
/// </summary>
internal sealed class SegmentedPacketQueue
{
    private const int MaxSegmentLength = 128;

    private readonly int _capacity;
    private readonly int _segmentLength;
    private Segment _tail; // producer only
    private int _tailIndex; // producer only
    private Segment _head; // consumer only
    private int _headIndex; // consumer only
    private Segment? _spare;
    private Indices _indices;

    public SegmentedPacketQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _segmentLength = Math.Min(_capacity, MaxSegmentLength);
        _tail = _head = new Segment(_segmentLength);
    }

    public int Capacity => _capacity;

    public int Count => (int)(Volatile.Read(ref _indices.Tail) - Volatile.Read(ref _indices.Head));

    /// <summary>Bytes of the packets queued now (<see cref="MediaPacket.Length"/> each).</summary>
    public long QueuedBytes => Volatile.Read(ref _indices.BytesWritten) - Volatile.Read(ref _indices.BytesRead);

    /// <summary>Producer only. False when full: the caller keeps its reference.</summary>
    public bool TryWrite(MediaPacket packet)
    {
        long tail = _indices.Tail;
        if (tail - Volatile.Read(ref _indices.Head) >= _capacity)
        {
            return false;
        }

        if (_tailIndex == _segmentLength)
        {
            Segment next = Interlocked.Exchange(ref _spare, null) ?? new Segment(_segmentLength);
            // Linked before the tail moves past it, so the consumer finds it whenever it needs it.
            Volatile.Write(ref _tail.Next, next);
            _tail = next;
            _tailIndex = 0;
        }

        _tail.Items[_tailIndex++] = packet;
        Volatile.Write(ref _indices.BytesWritten, _indices.BytesWritten + packet.Length);
        Volatile.Write(ref _indices.Tail, tail + 1);
        return true;
    }

    /// <summary>Producer only: room for <paramref name="count"/> more packets.</summary>
    public bool HasRoomFor(int count) => _capacity - Count >= count;

    /// <summary>
    /// Packets the consumer has taken with <see cref="TryRead"/> (not those it drained): its
    /// progress. Written by the consumer alone, on its own cache line, without an atomic.
    /// </summary>
    public long Taken => Volatile.Read(ref _indices.Taken);

    /// <summary>Consumer only. The reference written by the producer passes to the caller.</summary>
    public bool TryRead(out MediaPacket packet)
    {
        if (!TryDequeue(out packet))
        {
            return false;
        }

        Volatile.Write(ref _indices.Taken, _indices.Taken + 1);
        return true;
    }

    /// <summary>Consumer only (or the last owner): releases everything queued.</summary>
    public int DrainAndRelease()
    {
        int n = 0;
        while (TryDequeue(out MediaPacket packet))
        {
            packet.Release();
            n++;
        }

        return n;
    }

    // Inlined: the egress loop reads every packet through here.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryDequeue(out MediaPacket packet)
    {
        long head = _indices.Head;
        if (head == Volatile.Read(ref _indices.Tail))
        {
            packet = null!;
            return false;
        }

        if (_headIndex == _segmentLength)
        {
            // The producer wrote past this segment, so it has linked the next and left this one.
            Segment done = _head;
            _head = Volatile.Read(ref done.Next)!;
            _headIndex = 0;
            done.Next = null;
            Volatile.Write(ref _spare, done); // its slots are all null again; an older spare goes to the GC
        }

        ref MediaPacket? slot = ref _head.Items[_headIndex++];
        packet = slot!;
        slot = null;
        Volatile.Write(ref _indices.BytesRead, _indices.BytesRead + packet.Length);
        Volatile.Write(ref _indices.Head, head + 1);
        return true;
    }

    private sealed class Segment(int length)
    {
        public readonly MediaPacket?[] Items = new MediaPacket?[length];
        public Segment? Next;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Indices
    {
        [FieldOffset(64)] public long Head;
        [FieldOffset(72)] public long BytesRead;
        [FieldOffset(80)] public long Taken;
        [FieldOffset(128)] public long Tail;
        [FieldOffset(136)] public long BytesWritten;
    }
}
