using MediaServer.Media.Rtcp;

namespace MediaServer.Core.Egress;

/// <summary>
/// Reads the feedback in a receiver's compound RTCP packet (receiver reports, generic NACK, PLI,
/// FIR) and hands each to the egress's handler; anything else in the compound is skipped. Generic
/// over the handler so a struct handler costs no interface call; no allocation.
/// </summary>
public static class RtcpFeedbackReader
{
    /// <summary>At most this many report blocks of one receiver report are read (a receiver reports on each track it gets).</summary>
    public const int MaxReportBlocks = 4;

    public static void Read<THandler>(ReadOnlySpan<byte> compound, ref THandler handler)
        where THandler : IRtcpFeedbackHandler
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[MaxReportBlocks];
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            switch (type)
            {
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet, out _, blocks, out int count):
                    handler.OnReceiverReport(blocks[..count]);
                    break;
                case RtcpPacketType.TransportFeedback when RtcpFeedback.TryParseGenericNack(packet, out uint mediaSsrc, out NackList lost):
                    handler.OnNack(mediaSsrc, lost);
                    break;
                case RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParsePictureLoss(packet, out uint mediaSsrc):
                    handler.OnPictureLoss(mediaSsrc);
                    break;
                case RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParseFullIntraRequest(packet, out uint mediaSsrc):
                    handler.OnFullIntraRequest(mediaSsrc);
                    break;
            }
        }
    }
}
