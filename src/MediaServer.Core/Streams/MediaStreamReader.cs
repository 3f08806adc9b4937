using MediaServer.Core.Isolation;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using Prometheus;

namespace MediaServer.Core.Streams;

/// <summary>
/// One reader's view of a <see cref="MediaStream"/>: a bounded ring the publisher fills and the
/// reader's egress loop drains. Every packet handed out has passed the isolation guard against
/// this reader's own stream and generation. A reader that falls behind has its queue dropped and
/// resumes at the stream's next keyframe.
/// </summary>
public sealed class MediaStreamReader : IDisposable
{
    private const int OverflowNone = 0;
    private const int OverflowDrainRequested = 1;
    private const int OverflowDrained = 2;

    private readonly PacketRing _ring;
    private readonly long _maxQueuedBytes;
    private readonly ReaderSignal _signal = new();
    private int _overflow;
    private int _disposed;
    private int _completed;
    private int _owners = 2; // the publisher's side and the reader's side
    private int _keyframeRequested;
    private long _droppedPackets;
    private long _resyncs;
    private long _violations;

    internal MediaStreamReader(MediaStream stream, int capacity, long maxQueuedBytes = long.MaxValue)
    {
        Stream = stream;
        _ring = new PacketRing(capacity);
        _maxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>Bytes of the packets waiting in this reader's queue.</summary>
    public long QueuedBytes => _ring.QueuedBytes;

    public MediaStream Stream { get; }

    /// <summary>Packets dropped because this reader was too slow.</summary>
    public long DroppedPackets => Interlocked.Read(ref _droppedPackets);

    /// <summary>Times this reader was dropped back to a keyframe.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>Packets refused by the isolation guard: must stay 0.</summary>
    public long IsolationViolations => Interlocked.Read(ref _violations);

    /// <summary>
    /// Reader side: times this reader's queue was dropped. The packet read right after a change
    /// begins a keyframe access unit; egress may treat it as a discontinuity.
    /// </summary>
    public long QueueDrops { get; private set; }

    /// <summary>True once the stream ended; queued packets can still be read.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    internal ReaderState State { get; set; }

    /// <summary>Publisher side: packets were queued and the wake-up waits for the end of the publisher's burst.</summary>
    internal bool WakeDeferred { get; set; }

    /// <summary>Publisher side: set while a keyframe request waits to restart this reader at the cache.</summary>
    internal bool ResumeFromCache { get; set; }

    /// <summary>True while the reader's loop waits and nothing has woken it yet.</summary>
    internal bool IsParked => _signal.IsParked;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal int QueueCapacity => _ring.Capacity;

    /// <summary>Reader side: waits until packets are queued or the stream completed.</summary>
    public ValueTask WaitAsync() => _signal.WaitAsync();

    /// <summary>Wakes the reader's loop without data, e.g. to write a control message.</summary>
    public void Wake() => _signal.Set();

    /// <summary>
    /// Reader side: the viewer's decoder lost its reference (an RTCP PLI or FIR). On the publisher's
    /// next packet the queue is dropped and the reader restarts at this stream's cached keyframe;
    /// the packet read right after the drop (see <see cref="QueueDrops"/>) begins that keyframe.
    /// </summary>
    public void RequestKeyframe() => Volatile.Write(ref _keyframeRequested, 1);

    /// <summary>Reader side: the next packet, which passes its reference to the caller.</summary>
    public bool TryRead(out MediaPacket packet)
    {
        if (Volatile.Read(ref _overflow) == OverflowDrainRequested)
        {
            _ring.DrainAndRelease();
            QueueDrops++;
            Volatile.Write(ref _overflow, OverflowDrained);
        }

        while (_ring.TryRead(out packet))
        {
            if (IsolationGuard.Admit(packet, Stream.Id, Stream.Generation))
            {
                return true;
            }

            Interlocked.Increment(ref _violations);
            packet.Release();
        }

        return false;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Whichever side lets go last releases the queue; an idle publisher lets go at once.
        ReleaseOwnership();
        Stream.OnReaderDisposed();
    }

    /// <summary>Publisher side: queues one packet (taking a reference) or marks the reader lagging.</summary>
    internal bool Offer(MediaPacket packet)
    {
        packet.AddRef();
        if (QueuedBytes + packet.Length <= _maxQueuedBytes && _ring.TryWrite(packet))
        {
            return true;
        }

        packet.Release();
        Overflow();
        return false;
    }

    /// <summary>Publisher side: queues a run of packets only if all of them fit.</summary>
    internal bool OfferAll(ReadOnlySpan<MediaPacket> packets)
    {
        if (!_ring.HasRoomFor(packets.Length))
        {
            return false;
        }

        long bytes = 0;
        foreach (MediaPacket packet in packets)
        {
            bytes += packet.Length;
        }

        if (QueuedBytes + bytes > _maxQueuedBytes)
        {
            return false;
        }

        foreach (MediaPacket packet in packets)
        {
            packet.AddRef();
            _ring.TryWrite(packet);
        }

        return true;
    }

    internal void Signal() => _signal.Set();

    /// <summary>Publisher side: consumes a pending <see cref="RequestKeyframe"/>.</summary>
    internal bool TakeKeyframeRequest() =>
        Volatile.Read(ref _keyframeRequested) != 0 && Interlocked.Exchange(ref _keyframeRequested, 0) != 0;

    /// <summary>Publisher side: drops the queue like an overflow, but to replay the cache rather than wait.</summary>
    internal void RestartAtCache()
    {
        State = ReaderState.Overflowed;
        ResumeFromCache = true;
        Volatile.Write(ref _overflow, OverflowDrainRequested);
        _signal.Set();
    }

    /// <summary>Publisher side: true once the reader has dropped its queue after an overflow.</summary>
    internal bool TryCompleteOverflow()
    {
        if (Volatile.Read(ref _overflow) != OverflowDrained)
        {
            return false;
        }

        Volatile.Write(ref _overflow, OverflowNone);
        return true;
    }

    internal void CountDropped(long packets, Counter.Child reason)
    {
        Interlocked.Add(ref _droppedPackets, packets);
        MetricsRegistry.ReaderDroppedPackets.Inc(packets);
        reason.Inc(packets);
    }

    internal void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _signal.Set();
    }

    /// <summary>Publisher side: it will not touch this reader again.</summary>
    internal void DetachFromPublisher() => ReleaseOwnership();

    private void Overflow()
    {
        State = ReaderState.Overflowed;
        Interlocked.Increment(ref _resyncs);
        MetricsRegistry.ReaderResyncs.Inc();
        CountDropped(_ring.Count + 1, PacketDrops.QueueFull);
        Volatile.Write(ref _overflow, OverflowDrainRequested);
        _signal.Set();
    }

    private void ReleaseOwnership()
    {
        if (Interlocked.Decrement(ref _owners) == 0)
        {
            _ring.DrainAndRelease();
        }
    }
}
