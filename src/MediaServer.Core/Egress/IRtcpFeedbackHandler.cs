using MediaServer.Media.Rtcp;

namespace MediaServer.Core.Egress;

/// <summary>What an egress does with a receiver's RTCP feedback (see <see cref="RtcpFeedbackReader"/>).</summary>
public interface IRtcpFeedbackHandler
{
    /// <summary>The report blocks of one receiver report (possibly none).</summary>
    void OnReceiverReport(ReadOnlySpan<RtcpReportBlock> blocks);

    /// <summary>A generic NACK (RFC 4585 §6.2.1) for the packets of <paramref name="mediaSsrc"/> in <paramref name="lost"/>.</summary>
    void OnNack(uint mediaSsrc, NackList lost);

    /// <summary>A picture loss indication (RFC 4585 §6.3.1).</summary>
    void OnPictureLoss(uint mediaSsrc);

    /// <summary>A full intra request (RFC 5104 §4.3.1).</summary>
    void OnFullIntraRequest(uint mediaSsrc);
}
