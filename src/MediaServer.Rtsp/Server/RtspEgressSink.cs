using MediaServer.Core.Egress;
using MediaServer.Core.Packets;

namespace MediaServer.Rtsp.Server;

/// <summary>An RTSP reader's egress (TCP or UDP) as the protocol part of its <see cref="EgressLoop{TSink}"/>.</summary>
internal readonly struct RtspEgressSink(ReaderEgress egress) : IEgressSink
{
    public bool NeedsClock => egress.NeedsClock;

    public long TicksUntilReady(long now) => egress.TicksUntilReady(now);

    public void BeginBurst() => egress.BeginBurst();

    public void Send(MediaPacket packet, long now) => egress.SendPacket(packet, now);

    public void SendSenderReportsIfDue() => egress.SendSenderReportsIfDue();

    public ValueTask<bool> FlushAsync() => egress.FlushAsync();

    public void Interrupt() => egress.Interrupt();

    public void OnFailed(Exception exception) => egress.OnLoopFailed(exception);

    public void OnExited() => egress.OnLoopExited();

    public void OnEnded(bool streamEnded) => egress.OnLoopEnded(streamEnded);
}
