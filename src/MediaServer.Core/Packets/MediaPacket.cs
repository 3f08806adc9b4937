using System.Buffers;
using System.Diagnostics;
using MediaServer.Core.Isolation;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Packets;

/// <summary>
/// One RTP packet as received from a publisher, in a pooled buffer, shared by reference count
/// between the stream's segment cache and every reader's queue. It carries the stamp of the stream
/// (and generation) that filled it; the stamp is cleared when the packet goes back to its pool,
/// so a stale reference can never pass <see cref="IsolationGuard.Admit"/> again.
/// </summary>
public sealed class MediaPacket
{
    private readonly MediaPacketPool _pool;
    private byte[] _buffer;
    private int _length;
    private int _refCount;
    private StreamId _streamId;
    private long _generation;

    internal MediaPacket(MediaPacketPool pool, int capacity)
    {
        _pool = pool;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public StreamId StampedStreamId => _streamId;

    /// <summary>True between rent and the last release.</summary>
    public bool IsLeased => Volatile.Read(ref _refCount) > 0;

    public int TrackIndex { get; internal set; }

    public ushort SequenceNumber { get; internal set; }

    public uint Timestamp { get; internal set; }

    public bool Marker { get; internal set; }

    public byte PayloadType { get; internal set; }

    public int HeaderLength { get; internal set; }

    public int PayloadLength { get; internal set; }

    /// <summary>True for the first packet of an access unit a decoder can start from.</summary>
    public bool IsRandomAccess { get; internal set; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the packet arrived.</summary>
    public long ArrivalTimestamp { get; internal set; }

    /// <summary>The whole RTP packet (header and payload, padding included) as received.</summary>
    public ReadOnlySpan<byte> Data
    {
        get
        {
            AssertLeased();
            return new ReadOnlySpan<byte>(_buffer, 0, _length);
        }
    }

    public ReadOnlySpan<byte> Payload
    {
        get
        {
            AssertLeased();
            return new ReadOnlySpan<byte>(_buffer, HeaderLength, PayloadLength);
        }
    }

    public int Length => _length;

    public bool IsStampedFor(StreamId streamId, long generation) =>
        IsLeased && _generation == generation && _streamId == streamId;

    /// <summary>Space to copy a received packet into; only its filler writes here.</summary>
    internal Span<byte> PrepareWrite(int length)
    {
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }

        _length = length;
        return new Span<byte>(_buffer, 0, length);
    }

    internal void OnRent(StreamId streamId, long generation)
    {
        _streamId = streamId;
        _generation = generation;
        Volatile.Write(ref _refCount, 1);
    }

    /// <summary>Takes one more reference: for a reader's queue or the segment cache.</summary>
    public void AddRef()
    {
        if (Interlocked.Increment(ref _refCount) <= 1)
        {
            // It was already back in the pool: someone kept a reference past its release.
            Interlocked.Decrement(ref _refCount);
            OnUseAfterReturn("reference taken on a returned packet");
        }
    }

    public void Release()
    {
        int remaining = Interlocked.Decrement(ref _refCount);
        if (remaining > 0)
        {
            return;
        }

        if (remaining < 0)
        {
            Interlocked.Increment(ref _refCount);
            OnUseAfterReturn("packet released more often than referenced");
            return;
        }

        // Clear the stamp before the packet can be rented by any other stream (invariant 4).
        _streamId = default;
        _generation = 0;
        _length = 0;
        _pool.Return(this);
    }

    internal void DiscardBuffer()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    [Conditional("DEBUG")]
    private void AssertLeased()
    {
        if (Volatile.Read(ref _refCount) <= 0)
        {
            throw new InvalidOperationException("Media packet used after it was returned to its pool.");
        }
    }

    private void OnUseAfterReturn(string what)
    {
        _pool.Guard.Report(what, default, _streamId);
#if DEBUG
        throw new InvalidOperationException(what);
#endif
    }
}
