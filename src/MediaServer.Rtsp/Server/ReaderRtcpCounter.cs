using MediaServer.Core.Egress;
using MediaServer.Core.Metrics;
using MediaServer.Media.Rtcp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Counts what an RTSP reader's RTCP about one track says (receiver reports, NACK, PLI, FIR) into
/// its egress meter. RTSP egress answers none of the feedback; the counts show how players fare.
/// </summary>
internal readonly struct ReaderRtcpCounter(int trackIndex, int clockRate, EgressMeter meter) : IRtcpFeedbackHandler
{
    public static void Count(ReadOnlySpan<byte> compound, int trackIndex, int clockRate, EgressMeter meter)
    {
        var counter = new ReaderRtcpCounter(trackIndex, clockRate, meter);
        RtcpFeedbackReader.Read(compound, ref counter);
    }

    public void OnReceiverReport(ReadOnlySpan<RtcpReportBlock> blocks)
    {
        // The session's RTCP channel belongs to one track: every block is about it.
        foreach (RtcpReportBlock block in blocks)
        {
            meter.OnReceiverReport(trackIndex, block.FractionLost, block.CumulativeLost, block.Jitter, clockRate);
        }
    }

    public void OnNack(uint mediaSsrc, NackList lost)
    {
        int nacks = 0;
        foreach (ushort _ in lost)
        {
            nacks++;
        }

        meter.OnNacks(nacks);
    }

    public void OnPictureLoss(uint mediaSsrc) => meter.OnPictureLoss();

    public void OnFullIntraRequest(uint mediaSsrc) => meter.OnFullIntraRequest();
}
