using MediaServer.Core.Egress;
using MediaServer.Core.Packets;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// An RTSP reader's egress as the protocol part of its <see cref="EgressLoop{TSink}"/>: the
/// session's timeline, pacing and reports from <see cref="RtspEgress"/>, the bytes' way out from
/// <typeparamref name="TTransport"/>.
/// </summary>
internal struct RtspEgressSink<TTransport>(RtspEgress egress, TTransport transport) : IEgressSink
    where TTransport : struct, IRtspTransportSink
{
    private readonly RtspEgress _egress = egress;
    private TTransport _transport = transport; // not readonly: a call on a readonly struct field of a type parameter copies it first

    public readonly bool NeedsClock => _egress.NeedsClock;

    public readonly long TicksUntilReady(long now) => _egress.TicksUntilReady(now);

    public readonly void BeginBurst() => _egress.BeginBurst();

    public void Send(MediaPacket packet, long now) => _egress.Send(packet, now, ref _transport);

    public void SendSenderReportsIfDue() => _egress.SendSenderReportsIfDue(ref _transport);

    public ValueTask<bool> FlushAsync() => _transport.FlushAsync();

    public void Interrupt() => _transport.Interrupt();

    public readonly void OnFailed(Exception exception) => _egress.OnLoopFailed(exception);

    public void OnExited()
    {
        _transport.OnExited();
        _egress.OnLoopExited();
    }

    public void OnEnded(bool streamEnded)
    {
        // A stalled reader is completed too, but its disconnection is the stall's, with its reason.
        if (!_egress.IsStalled)
        {
            _transport.OnEnded(streamEnded);
        }
    }
}
