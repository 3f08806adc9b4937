using MediaServer.Core.Streams;

namespace MediaServer.Core.Packets;

/// <summary>
/// A bounded, lock-free pool of <see cref="MediaPacket"/>s. Slots are claimed with
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/>, so there is no ABA hazard and no allocation
/// once the pool is warm. When empty it allocates (counted); when full a returned packet is
/// left to the garbage collector.
/// </summary>
public sealed class MediaPacketPool
{
    public const int DefaultPacketCapacity = 1600;

    private readonly MediaPacket?[] _slots;
    private int _hint;
    private long _allocated;
    private long _discarded;

    public const int DefaultSize = 8192;

    public MediaPacketPool(int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _slots = new MediaPacket?[size];
    }

    /// <summary>The process-wide pool: sharing it across streams is safe because of the stamps.</summary>
    public static MediaPacketPool Shared { get; } = new();

    /// <summary>Packets made because the pool was empty; flat in steady state.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Returned packets left to the garbage collector because every slot was taken.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>
    /// Packets rented and not yet returned: every packet this pool made is in a slot, out on rent,
    /// or discarded. For leak checks and diagnostics: it scans the slots, so it is exact only while
    /// no rent or return is in flight, and it costs nothing on the hot path (no counter per rent).
    /// </summary>
    public long Outstanding
    {
        get
        {
            MediaPacket?[] slots = _slots;
            long pooled = 0;
            for (int i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is not null)
                {
                    pooled++;
                }
            }

            return Allocated - Discarded - pooled;
        }
    }

    /// <summary>Rents a packet stamped with its stream and generation, holding one reference.</summary>
    public MediaPacket Rent(StreamId streamId, long generation)
    {
        MediaPacket packet = TakeFromSlots() ?? Allocate();
        packet.OnRent(streamId, generation);
        return packet;
    }

    private MediaPacket? TakeFromSlots()
    {
        MediaPacket?[] slots = _slots;
        int start = (int)((uint)Volatile.Read(ref _hint) % (uint)slots.Length);
        for (int n = 0; n < slots.Length; n++)
        {
            int i = start - n;
            if (i < 0)
            {
                i += slots.Length;
            }

            if (Volatile.Read(ref slots[i]) is not null)
            {
                MediaPacket? packet = Interlocked.Exchange(ref slots[i], null);
                if (packet is not null)
                {
                    // The pool works like a stack around the hint: the next rent looks just below.
                    Volatile.Write(ref _hint, i == 0 ? slots.Length - 1 : i - 1);
                    return packet;
                }
            }
        }

        return null;
    }

    private MediaPacket Allocate()
    {
        Interlocked.Increment(ref _allocated);
        return new MediaPacket(this, DefaultPacketCapacity);
    }

    internal void Return(MediaPacket packet)
    {
        MediaPacket?[] slots = _slots;
        int start = (int)((uint)(Volatile.Read(ref _hint) + 1) % (uint)slots.Length);
        for (int n = 0; n < slots.Length; n++)
        {
            int i = start + n;
            if (i >= slots.Length)
            {
                i -= slots.Length;
            }

            if (Volatile.Read(ref slots[i]) is null &&
                Interlocked.CompareExchange(ref slots[i], packet, null) is null)
            {
                Volatile.Write(ref _hint, i);
                return;
            }
        }

        Interlocked.Increment(ref _discarded);
        packet.DiscardBuffer();
    }
}
