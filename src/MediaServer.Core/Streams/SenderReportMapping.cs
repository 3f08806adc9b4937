namespace MediaServer.Core.Streams;

/// <summary>
/// The publisher's latest RTCP sender report for one track: the wall-clock (NTP) time of an RTP
/// timestamp. Egress sessions derive their own sender reports from it so players keep A/V sync.
/// </summary>
public sealed record SenderReportMapping(ulong NtpTimestamp, uint RtpTimestamp, long ReceivedAt);
