using System.Threading.Tasks.Sources;

namespace MediaServer.Core.Streams;

/// <summary>
/// Wakes one reader's egress loop when its queue has data, without locks and without allocating:
/// the publisher only flips a state word, and when the reader is actually parked it queues this
/// object itself to the thread pool, so the reader's continuation never runs on the publisher's
/// thread (the publisher must never wait on a reader). It is queued on the publishing thread's own
/// queue: that thread sends the burst it just fanned out as soon as its ingest step returns, with
/// the packets still in its cache, and idle threads steal the rest; from the global queue, each
/// wake-up would wait behind every other connection's work.
/// </summary>
internal sealed class ReaderSignal : IValueTaskSource, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Signaled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;

    public ReaderSignal() => _core.RunContinuationsAsynchronously = false;

    /// <summary>True while the consumer waits and no one has woken it (tests and diagnostics).</summary>
    internal bool IsParked => Volatile.Read(ref _state) == Waiting;

    /// <summary>Consumer only: completes at once if signalled since the last wait.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Signalled between the two checks.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _core.Version);
    }

    /// <summary>Any thread. Cheap when already signalled: one read.</summary>
    public void Set()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Signaled)
            {
                return;
            }

            if (state == Idle)
            {
                if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
                return;
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
