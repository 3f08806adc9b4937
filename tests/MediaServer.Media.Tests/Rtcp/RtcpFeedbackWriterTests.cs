using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests.Rtcp;

public class RtcpFeedbackWriterTests
{
    [Fact]
    public void Generic_nack_puts_the_first_loss_in_pid_and_the_next_sixteen_in_blp_bits()
    {
        // RFC 4585 §6.2.1: PID 100, bit 0 of BLP for 101, bit 15 for 116.
        var buffer = new byte[32];

        int length = RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 0x11223344, [100, 101, 116]);

        Assert.Equal("81CD0003" + "00000001" + "11223344" + "00648001", Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void Generic_nack_opens_a_new_pair_for_a_loss_seventeen_or_more_after_the_pid()
    {
        var buffer = new byte[32];

        int length = RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 2, [100, 117]);

        Assert.Equal("81CD0004" + "00000001" + "00000002" + "00640000" + "00750000", Convert.ToHexString(buffer, 0, length));
    }

    [Fact]
    public void Generic_nack_that_does_not_fit_is_not_written()
    {
        var buffer = new byte[15];

        Assert.Equal(0, RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 2, [100]));
    }

    [Fact]
    public void Picture_loss_indication_is_a_payload_specific_feedback_of_format_one_without_fci()
    {
        // RFC 4585 §6.3.1: PT=PSFB (206), FMT=1, length 2 (three words), sender and media SSRC.
        var buffer = new byte[12];

        int length = RtcpFeedbackWriter.WritePictureLoss(buffer, 0xAABBCCDD, 0x01020304);

        Assert.Equal("81CE0002" + "AABBCCDD" + "01020304", Convert.ToHexString(buffer, 0, length));
    }
}
