using MediaServer.Core.Metrics;
using MediaServer.Media.Rtcp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Counts what an RTSP reader's RTCP says (receiver reports, NACK, PLI, FIR) into its egress
/// meter. RTSP egress answers none of the feedback; the counts show how players fare.
/// </summary>
internal static class ReaderRtcpCounter
{
    public static void Count(ReadOnlySpan<byte> compound, int trackIndex, int clockRate, EgressMeter meter)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[4];
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            switch (type)
            {
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet, out _, blocks, out int count):
                    // The session's RTCP channel belongs to one track: every block is about it.
                    for (int i = 0; i < count; i++)
                    {
                        meter.OnReceiverReport(trackIndex, blocks[i].FractionLost, blocks[i].CumulativeLost, blocks[i].Jitter, clockRate);
                    }

                    break;
                case RtcpPacketType.TransportFeedback when RtcpFeedback.TryParseGenericNack(packet, out _, out NackList lost):
                    int nacks = 0;
                    foreach (ushort _ in lost)
                    {
                        nacks++;
                    }

                    meter.OnNacks(nacks);
                    break;
                case RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParsePictureLoss(packet, out _):
                    meter.OnPictureLoss();
                    break;
                case RtcpPacketType.PayloadFeedback when RtcpFeedback.TryParseFullIntraRequest(packet, out _):
                    meter.OnFullIntraRequest();
                    break;
            }
        }
    }
}
