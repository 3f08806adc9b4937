using MediaServer.Core.Egress;
using MediaServer.Media.Rtcp;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// What a browser's RTCP asks of its session's egress (UDP thread): receiver reports are kept for
/// the API and counted per track, NACKed packets are queued to be sent again, PLIs and FIRs to be
/// decided on by the keyframe policy; the loop is woken for the last two.
/// </summary>
internal struct BrowserFeedback(WebRtcEgress egress, ReceiverReportStatistics statistics) : IRtcpFeedbackHandler
{
    /// <summary>True once the egress loop has feedback to answer.</summary>
    public bool Wake { get; private set; }

    public readonly void OnReceiverReport(ReadOnlySpan<RtcpReportBlock> blocks)
    {
        if (blocks.IsEmpty)
        {
            return;
        }

        statistics.OnReport(blocks[0].FractionLost, blocks[0].CumulativeLost, blocks[0].Jitter);
        egress.CountReports(blocks);
    }

    public void OnNack(uint mediaSsrc, NackList lost)
    {
        egress.OnNack(mediaSsrc, lost);
        Wake = true;
    }

    public void OnPictureLoss(uint mediaSsrc)
    {
        egress.OnKeyframeRequest(fullIntraRequest: false);
        Wake = true;
    }

    public void OnFullIntraRequest(uint mediaSsrc)
    {
        egress.OnKeyframeRequest(fullIntraRequest: true);
        Wake = true;
    }
}
