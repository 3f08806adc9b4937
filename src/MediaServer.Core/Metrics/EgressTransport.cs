namespace MediaServer.Core.Metrics;

/// <summary>How a reader receives its stream; the <c>transport</c> label of egress metrics.</summary>
public enum EgressTransport
{
    RtspTcp,
    RtspUdp,
    WebRtc,
}
