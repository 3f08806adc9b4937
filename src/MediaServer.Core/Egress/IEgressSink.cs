using MediaServer.Core.Packets;

namespace MediaServer.Core.Egress;

/// <summary>
/// The protocol's part of an <see cref="EgressLoop{TSink}"/>: what it does with each packet, how
/// it sends a burst, its sender reports, and the join timeline's hooks (whether the clock is
/// needed, how long the replay's pace holds the next packet back). Implemented by a struct per
/// protocol so the loop's per-packet calls are direct.
/// </summary>
public interface IEgressSink
{
    /// <summary>Whether the next packet needs the time (a join or replay in progress); a live reader's loop never reads the clock.</summary>
    bool NeedsClock { get; }

    /// <summary>Stopwatch ticks the replay's pace holds the next packet back, or 0.</summary>
    long TicksUntilReady(long now);

    /// <summary>The reader woke the loop, or a pace delay ended: feedback to answer first, state to take for the burst.</summary>
    void BeginBurst();

    /// <summary>Rewrites and queues one packet (the loop releases it); <paramref name="now"/> is 0 unless <see cref="NeedsClock"/> was true.</summary>
    void Send(MediaPacket packet, long now);

    /// <summary>Queues the tracks' sender reports when their interval has passed.</summary>
    void SendSenderReportsIfDue();

    /// <summary>Sends what the burst queued; false when the receiver is gone and the loop must end.</summary>
    ValueTask<bool> FlushAsync();

    /// <summary>Unblocks a send stuck on a receiver that stopped reading (the loop is being stopped).</summary>
    void Interrupt();

    /// <summary>The loop failed with <paramref name="exception"/>.</summary>
    void OnFailed(Exception exception);

    /// <summary>The loop is over, however it ended (its resources may go).</summary>
    void OnExited();

    /// <summary>The loop ended by itself, not stopped: the stream ended, or the receiver is gone.</summary>
    void OnEnded(bool streamEnded);
}
