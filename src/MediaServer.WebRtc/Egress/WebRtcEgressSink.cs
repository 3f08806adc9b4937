using MediaServer.Core.Egress;
using MediaServer.Core.Packets;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// A WebRTC session's egress as the protocol part of its <see cref="EgressLoop{TSink}"/>: feedback
/// answered at the start of each burst, packets repacketized and SRTP-encrypted into a UDP batch
/// sent once per burst. The batch never blocks, so there is nothing to interrupt, and the session,
/// not the loop, ends the session when the stream ends.
/// </summary>
internal readonly struct WebRtcEgressSink(WebRtcEgress egress) : IEgressSink
{
    public bool NeedsClock => egress.CatchingUp;

    public long TicksUntilReady(long now) => egress.TicksUntilReady(now);

    public void BeginBurst() => egress.AnswerFeedback();

    public void Send(MediaPacket packet, long now) => egress.Send(packet, now);

    public void SendSenderReportsIfDue() => egress.SendSenderReportsIfDue();

    public ValueTask<bool> FlushAsync()
    {
        egress.Flush();
        return ValueTask.FromResult(true);
    }

    public void Interrupt()
    {
    }

    public void OnFailed(Exception exception) => egress.OnLoopFailed(exception);

    public void OnExited() => egress.OnLoopExited();

    public void OnEnded(bool streamEnded)
    {
    }
}
