namespace MediaServer.WebRtc.Egress;

/// <summary>What the browser's RTCP receiver reports said last, for the API and metrics.</summary>
public sealed class ReceiverReportStatistics
{
    private long _reports;

    public long Reports => Interlocked.Read(ref _reports);

    /// <summary>Fraction of packets lost since the previous report, 0..1.</summary>
    public double FractionLost { get; private set; }

    public int CumulativeLost { get; private set; }

    /// <summary>Interarrival jitter in RTP timestamp units of the reported track.</summary>
    public uint Jitter { get; private set; }

    internal void OnReport(byte fractionLost, int cumulativeLost, uint jitter)
    {
        FractionLost = fractionLost / 256.0;
        CumulativeLost = cumulativeLost;
        Jitter = jitter;
        Interlocked.Increment(ref _reports);
    }
}
