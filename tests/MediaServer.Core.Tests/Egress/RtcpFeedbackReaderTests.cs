using MediaServer.Core.Egress;
using MediaServer.Media.Rtcp;

namespace MediaServer.Core.Tests.Egress;

public class RtcpFeedbackReaderTests
{
    [Fact]
    public void Hands_each_kind_of_feedback_in_a_compound_to_the_handler_in_order()
    {
        byte[] compound = new byte[512];
        int length = 0;
        length += new RtcpSenderReport(9, 1, 2, 3, 4).WriteTo(compound.AsSpan(length)); // not feedback: skipped
        length += RtcpReceiverReport.Write(compound.AsSpan(length), 7,
        [
            new RtcpReportBlock(0xA, 64, 12, 1000, 90, 0, 0),
            new RtcpReportBlock(0xB, 0, 3, 2000, 8, 0, 0),
        ]);
        length += RtcpFeedbackWriter.WriteGenericNack(compound.AsSpan(length), 7, 0xA, [100, 101, 105]);
        length += RtcpFeedbackWriter.WritePictureLoss(compound.AsSpan(length), 7, 0xA);
        length += RtcpFeedbackWriter.WriteFullIntraRequest(compound.AsSpan(length), 7, 0xB, 1);
        var handler = new RecordingHandler();

        RtcpFeedbackReader.Read(compound.AsSpan(0, length), ref handler);

        Assert.Equal(["RR A/64/12/90 B/0/3/8", "NACK A 100,101,105", "PLI A", "FIR B"], handler.Calls);
    }

    [Fact]
    public void A_receiver_report_without_blocks_is_handed_over_empty()
    {
        byte[] compound = new byte[64];
        int length = RtcpReceiverReport.Write(compound, 7, []);
        var handler = new RecordingHandler();

        RtcpFeedbackReader.Read(compound.AsSpan(0, length), ref handler);

        Assert.Equal(["RR"], handler.Calls);
    }

    [Fact]
    public void A_truncated_compound_hands_over_nothing_past_the_cut()
    {
        byte[] compound = new byte[128];
        int length = RtcpFeedbackWriter.WritePictureLoss(compound, 7, 0xA);
        int cut = length + RtcpFeedbackWriter.WriteFullIntraRequest(compound.AsSpan(length), 7, 0xB, 1) - 4;
        var handler = new RecordingHandler();

        RtcpFeedbackReader.Read(compound.AsSpan(0, cut), ref handler);

        Assert.Equal(["PLI A"], handler.Calls);
    }

    private sealed class RecordingHandler : IRtcpFeedbackHandler
    {
        public List<string> Calls { get; } = [];

        public void OnReceiverReport(ReadOnlySpan<RtcpReportBlock> blocks)
        {
            var text = new List<string> { "RR" };
            foreach (RtcpReportBlock block in blocks)
            {
                text.Add($"{block.Ssrc:X}/{block.FractionLost}/{block.CumulativeLost}/{block.Jitter}");
            }

            Calls.Add(string.Join(' ', text));
        }

        public void OnNack(uint mediaSsrc, NackList lost)
        {
            var sequenceNumbers = new List<ushort>();
            foreach (ushort sequenceNumber in lost)
            {
                sequenceNumbers.Add(sequenceNumber);
            }

            Calls.Add($"NACK {mediaSsrc:X} {string.Join(',', sequenceNumbers)}");
        }

        public void OnPictureLoss(uint mediaSsrc) => Calls.Add($"PLI {mediaSsrc:X}");

        public void OnFullIntraRequest(uint mediaSsrc) => Calls.Add($"FIR {mediaSsrc:X}");
    }
}
