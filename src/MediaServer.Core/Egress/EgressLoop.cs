using System.Diagnostics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Egress;

/// <summary>
/// Sends one reader's packets, the same for every egress protocol: wait for the reader, drain it
/// packet by packet into the protocol's sink, send the burst once, then the sender reports when
/// due; while a replay is ahead of its pace, send what is queued and wait. It ends when stopped,
/// when the stream ends (after sending what was left), or when the receiver is gone.
/// </summary>
public sealed class EgressLoop<TSink> : IEgressLoop
    where TSink : struct, IEgressSink
{
    private readonly MediaStreamReader _reader;
    private TSink _sink; // not readonly: a call on a readonly struct field of a type parameter copies it first
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopping;

    public EgressLoop(MediaStreamReader reader, TSink sink)
    {
        _reader = reader;
        _sink = sink;
    }

    /// <summary>True once <see cref="StopAsync"/> was called.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Completes when the loop ends: stopped, the stream ended, or the receiver is gone.</summary>
    public Task Completion => _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops the loop and waits for it (at once when it never started).</summary>
    public Task StopAsync()
    {
        _stopping = true;
        _reader.Wake();
        _sink.Interrupt();
        return _loop;
    }

    private async Task RunAsync()
    {
        bool streamEnded = false;
        try
        {
            while (!_stopping)
            {
                await _reader.WaitAsync();
                if (_stopping)
                {
                    break;
                }

                bool completed = _reader.IsCompleted;
                _sink.BeginBurst();
                long wait;
                bool flushed = true;
                while ((wait = Drain()) > 0 && !_stopping && (flushed = await _sink.FlushAsync()))
                {
                    // The replay is ahead of its pace: let the receiver's socket empty meanwhile.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, wait * 1000.0 / Stopwatch.Frequency)));
                    _sink.BeginBurst();
                }

                if (_stopping || !flushed)
                {
                    break;
                }

                _sink.SendSenderReportsIfDue();
                if (!await _sink.FlushAsync())
                {
                    break;
                }

                if (completed)
                {
                    streamEnded = true;
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            _sink.OnFailed(ex);
        }
        finally
        {
            _sink.OnExited();
        }

        if (!_stopping)
        {
            _sink.OnEnded(streamEnded);
        }
    }

    /// <summary>Sends what is queued; the Stopwatch ticks to wait when the replay's pace stopped it, else 0.</summary>
    private long Drain()
    {
        while (true)
        {
            long now = _sink.NeedsClock ? Stopwatch.GetTimestamp() : 0;
            long wait = _sink.TicksUntilReady(now);
            if (wait > 0)
            {
                return wait;
            }

            if (!_reader.TryRead(out MediaPacket packet))
            {
                return 0;
            }

            try
            {
                _sink.Send(packet, now);
            }
            finally
            {
                packet.Release();
            }
        }
    }
}
