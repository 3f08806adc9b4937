using MediaServer.Core.Isolation;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using Prometheus;

namespace MediaServer.Core.Streams;

/// <summary>
/// One reader's view of a <see cref="MediaStream"/>: a bounded queue the publisher fills and the
/// reader's egress loop drains. Every packet handed out has passed the isolation guard against
/// this reader's own stream and generation. A reader that falls behind has its queue dropped and
/// resumes at the stream's next keyframe; one that takes nothing at all for too long is given up
/// on (<see cref="IsStalled"/>).
/// </summary>
public sealed class MediaStreamReader : IDisposable
{
    private const int OverflowNone = 0;
    private const int OverflowDrainRequested = 1;
    private const int OverflowDrained = 2;

    // Stands in the callback slot once the stall was found with no callback yet, so one registered
    // later runs at once; either way the callback runs exactly once.
    private static readonly Action<MediaStreamReader> s_stallReported = static _ => { };

    private readonly SegmentedPacketQueue _queue;
    private readonly IsolationGuard _guard;
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
    private int _stalled;
    private Action<MediaStreamReader>? _onStalled;

    // Publisher only: what the reader had taken when it was first seen lagging since its last progress, and when.
    private long _takenWhenLagSeen = -1;
    private long _lagSeenAt;

    internal MediaStreamReader(MediaStream stream, int capacity, long maxQueuedBytes = long.MaxValue)
    {
        Stream = stream;
        _guard = stream.Guard;
        _queue = new SegmentedPacketQueue(capacity);
        _maxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>Bytes of the packets waiting in this reader's queue.</summary>
    public long QueuedBytes => _queue.QueuedBytes;

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

    /// <summary>
    /// True once the stream gave up on this reader: packets for it were being dropped and it took
    /// none from its queue for <see cref="StreamOptions.StalledReaderTimeoutSeconds"/> (typically
    /// its egress is blocked writing to a client that stopped reading). It is then also completed,
    /// gets nothing more, and its owner should disconnect the client (see <see cref="OnStalled"/>).
    /// </summary>
    public bool IsStalled => Volatile.Read(ref _stalled) != 0;

    /// <summary>How long the reader had taken nothing when it was found stalled.</summary>
    public TimeSpan StalledFor { get; private set; }

    internal ReaderState State { get; set; }

    /// <summary>Set at subscription: the reader skips the cached GOP and starts at the next live keyframe.</summary>
    public bool WaitsForLiveKeyframe { get; internal init; }

    /// <summary>Publisher side: packets were queued and the wake-up waits for the end of the publisher's burst.</summary>
    internal bool WakeDeferred { get; set; }

    /// <summary>Publisher side: set while a keyframe request waits to restart this reader at the cache.</summary>
    internal bool ResumeFromCache { get; set; }

    /// <summary>True while the reader's loop waits and nothing has woken it yet.</summary>
    internal bool IsParked => _signal.IsParked;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

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

    /// <summary>
    /// Owner: what to do when this reader is found stalled (<see cref="IsStalled"/>), i.e. close its
    /// client, whose egress may be blocked in a write and never look at the reader again. Runs once,
    /// on the thread pool, so the publisher never waits on it; registered after the reader was
    /// found stalled, it is queued at once. One callback per reader.
    /// </summary>
    public void OnStalled(Action<MediaStreamReader> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Action<MediaStreamReader>? previous = Interlocked.CompareExchange(ref _onStalled, callback, null);
        if (previous is null)
        {
            return;
        }

        if (ReferenceEquals(previous, s_stallReported) &&
            ReferenceEquals(Interlocked.CompareExchange(ref _onStalled, callback, s_stallReported), s_stallReported))
        {
            QueueStallCallback(callback);
            return;
        }

        throw new InvalidOperationException("The reader already has a stall callback.");
    }

    /// <summary>Reader side: the next packet, which passes its reference to the caller.</summary>
    public bool TryRead(out MediaPacket packet)
    {
        if (Volatile.Read(ref _overflow) == OverflowDrainRequested)
        {
            _queue.DrainAndRelease();
            QueueDrops++;
            Volatile.Write(ref _overflow, OverflowDrained);
        }

        while (_queue.TryRead(out packet))
        {
            if (_guard.Admit(packet, Stream.Id, Stream.Generation))
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
        if (QueuedBytes + packet.Length <= _maxQueuedBytes && _queue.TryWrite(packet))
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
        if (!_queue.HasRoomFor(packets.Length))
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
            _queue.TryWrite(packet);
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

    /// <summary>
    /// Publisher side, on each packet dropped while the reader lags: clock ticks since it was first
    /// seen lagging without having taken a packet since (0 when it took one since the last look).
    /// </summary>
    internal long LaggingWithoutProgress(long now)
    {
        long taken = _queue.Taken;
        if (taken != _takenWhenLagSeen)
        {
            _takenWhenLagSeen = taken;
            _lagSeenAt = now;
            return 0;
        }

        return now - _lagSeenAt;
    }

    /// <summary>Publisher side: gives up on the reader (see <see cref="IsStalled"/>) and tells its owner.</summary>
    internal void CompleteAsStalled(TimeSpan stalledFor)
    {
        State = ReaderState.Stalled;
        StalledFor = stalledFor;
        Volatile.Write(ref _stalled, 1);
        Complete();
        Action<MediaStreamReader>? callback = Interlocked.CompareExchange(ref _onStalled, s_stallReported, null);
        if (callback is not null)
        {
            QueueStallCallback(callback);
        }
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
        CountDropped(_queue.Count + 1, PacketDrops.QueueFull);
        Volatile.Write(ref _overflow, OverflowDrainRequested);
        _signal.Set();
    }

    private void QueueStallCallback(Action<MediaStreamReader> callback) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Callback(state.Reader), (Callback: callback, Reader: this), preferLocal: false);

    private void ReleaseOwnership()
    {
        if (Interlocked.Decrement(ref _owners) == 0)
        {
            _queue.DrainAndRelease();
        }
    }
}
