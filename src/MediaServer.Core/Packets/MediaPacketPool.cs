using MediaServer.Core.Isolation;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Packets;

/// <summary>
/// A bounded, lock-free pool of <see cref="MediaPacket"/>s. Slots are claimed with
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/>, so there is no ABA hazard and no allocation
/// once the pool is warm. When empty it allocates (counted); when full a returned packet is
/// left to the garbage collector (counted).
/// </summary>
/// <remarks>
/// The pool is a stack around a hint: a rent takes the packet at the hint and moves it down, a
/// return fills the slot above it and moves it up. With one caller at a time the pooled packets
/// are one run of slots ending at the hint, so the first slot looked at is the one. A rent or
/// return looks at no more than <see cref="ProbeWindow"/> slots: racing callers leave a few holes
/// and strays near the hint, which the window absorbs, and an empty or full pool costs that many
/// reads, not a walk over every slot on every packet just when the server is under pressure.
/// A search that finds nothing leaves the hint where it stopped, so the next one goes on from
/// there and a packet that strayed farther off is still found in time.
/// </remarks>
public sealed class MediaPacketPool
{
    public const int DefaultPacketCapacity = 1600;

    // Enough for the segment caches of 100 cameras at 2 Mbit/s with 2 s GOPs (~49,000 packets);
    // an 8,192-slot pool made such a server allocate and discard packets all the time.
    public const int DefaultSize = 65536;

    /// <summary>Slots one rent or return looks at before it allocates or discards.</summary>
    internal const int ProbeWindow = 32;

    private readonly MediaPacket?[] _slots;
    private readonly int _window;
    private int _hint;
    private long _allocated;
    private long _discarded;

    // Slots looked at by rents and returns, for tests of the bound above. A plain add beside the
    // hint, which every call writes anyway; racing callers may lose counts, which tests never see.
    private long _slotsProbed;

    /// <param name="guard">Counts the packets of this pool that break isolation; a guard of its own when null.</param>
    public MediaPacketPool(int size = DefaultSize, IsolationGuard? guard = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _slots = new MediaPacket?[size];
        _window = Math.Min(ProbeWindow, size);
        Guard = guard ?? new IsolationGuard();
    }

    /// <summary>
    /// The guard every stream served from this pool checks its packets with (sharing one pool
    /// across a host's streams is safe because of the stamps).
    /// </summary>
    public IsolationGuard Guard { get; }

    /// <summary>Packets made because no packet was pooled near the hint (the pool was empty); flat in steady state.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>
    /// Returned packets left to the garbage collector because no slot near the hint was free
    /// (with one caller at a time: because every slot was taken).
    /// </summary>
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

    /// <summary>Slots looked at by every rent and return so far; exact only with one caller at a time.</summary>
    internal long SlotsProbed => Volatile.Read(ref _slotsProbed);

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
        int i = (int)((uint)Volatile.Read(ref _hint) % (uint)slots.Length);
        for (int n = 1; n <= _window; n++)
        {
            if (Volatile.Read(ref slots[i]) is not null)
            {
                MediaPacket? packet = Interlocked.Exchange(ref slots[i], null);
                if (packet is not null)
                {
                    // The pool works like a stack around the hint: the next rent looks just below.
                    _slotsProbed += n;
                    Volatile.Write(ref _hint, Below(i));
                    return packet;
                }
            }

            i = Below(i);
        }

        // Nothing near the hint: allocate now, and leave the hint where this search stopped, so
        // a packet that strayed farther off is still found by the rents that follow.
        _slotsProbed += _window;
        Volatile.Write(ref _hint, i);
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
        int i = Above((int)((uint)Volatile.Read(ref _hint) % (uint)slots.Length));
        for (int n = 1; n <= _window; n++)
        {
            if (Volatile.Read(ref slots[i]) is null &&
                Interlocked.CompareExchange(ref slots[i], packet, null) is null)
            {
                _slotsProbed += n;
                Volatile.Write(ref _hint, i);
                return;
            }

            i = Above(i);
        }

        // No free slot near the hint: let the packet go, and move the hint past the taken slots
        // so the next return searches on from there (and the next rent finds a packet at once).
        _slotsProbed += _window;
        Volatile.Write(ref _hint, Below(i));
        Interlocked.Increment(ref _discarded);
        packet.DiscardBuffer();
    }

    private int Below(int i) => i == 0 ? _slots.Length - 1 : i - 1;

    private int Above(int i) => i == _slots.Length - 1 ? 0 : i + 1;
}
