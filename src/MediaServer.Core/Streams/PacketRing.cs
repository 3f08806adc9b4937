using System.Numerics;
using System.Runtime.InteropServices;
using MediaServer.Core.Packets;

namespace MediaServer.Core.Streams;

/// <summary>
/// A bounded single-producer/single-consumer queue of packet references: the stream's publisher
/// writes, one reader's egress loop reads. No locks; head and tail live on separate cache lines
/// so producer and consumer do not false-share. Beside each index sits the count of bytes that
/// side has moved, written only by that side, so the bytes queued cost no interlocked operation.
/// </summary>
internal sealed class PacketRing
{
    private readonly MediaPacket?[] _items;
    private readonly int _mask;
    private Indices _indices;

    public PacketRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        capacity = (int)BitOperations.RoundUpToPowerOf2((uint)capacity);
        _items = new MediaPacket?[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _items.Length;

    public int Count => (int)(Volatile.Read(ref _indices.Tail) - Volatile.Read(ref _indices.Head));

    /// <summary>Bytes of the packets queued now (<see cref="MediaPacket.Length"/> each).</summary>
    public long QueuedBytes => Volatile.Read(ref _indices.BytesWritten) - Volatile.Read(ref _indices.BytesRead);

    /// <summary>Producer only. False when full: the caller keeps its reference.</summary>
    public bool TryWrite(MediaPacket packet)
    {
        long tail = _indices.Tail;
        if (tail - Volatile.Read(ref _indices.Head) >= _items.Length)
        {
            return false;
        }

        _items[tail & _mask] = packet;
        Volatile.Write(ref _indices.BytesWritten, _indices.BytesWritten + packet.Length);
        Volatile.Write(ref _indices.Tail, tail + 1);
        return true;
    }

    /// <summary>Producer only: room for <paramref name="count"/> more packets.</summary>
    public bool HasRoomFor(int count) => _items.Length - Count >= count;

    /// <summary>Consumer only. The reference written by the producer passes to the caller.</summary>
    public bool TryRead(out MediaPacket packet)
    {
        long head = _indices.Head;
        if (head == Volatile.Read(ref _indices.Tail))
        {
            packet = null!;
            return false;
        }

        ref MediaPacket? slot = ref _items[head & _mask];
        packet = slot!;
        slot = null;
        Volatile.Write(ref _indices.BytesRead, _indices.BytesRead + packet.Length);
        Volatile.Write(ref _indices.Head, head + 1);
        return true;
    }

    /// <summary>Consumer only (or the last owner): releases everything queued.</summary>
    public int DrainAndRelease()
    {
        int n = 0;
        while (TryRead(out MediaPacket packet))
        {
            packet.Release();
            n++;
        }

        return n;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Indices
    {
        [FieldOffset(64)] public long Head;
        [FieldOffset(72)] public long BytesRead;
        [FieldOffset(128)] public long Tail;
        [FieldOffset(136)] public long BytesWritten;
    }
}
