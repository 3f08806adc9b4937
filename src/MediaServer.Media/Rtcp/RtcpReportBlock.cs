namespace MediaServer.Media.Rtcp;

/// <summary>One reception report block (RFC 3550 §6.4.1): how one source is being received.</summary>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport);
