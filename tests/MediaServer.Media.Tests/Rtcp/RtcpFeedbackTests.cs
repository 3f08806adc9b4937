using MediaServer.Media.Rtcp;

namespace MediaServer.Media.Tests.Rtcp;

public class RtcpFeedbackTests
{
    private static List<ushort> Lost(ReadOnlySpan<byte> packet)
    {
        Assert.True(RtcpFeedback.TryParseGenericNack(packet, out _, out NackList lost));
        var list = new List<ushort>();
        foreach (ushort sequenceNumber in lost)
        {
            list.Add(sequenceNumber);
        }

        return list;
    }

    [Fact]
    public void Generic_nack_lists_the_pid_and_every_blp_bit()
    {
        // RFC 4585 §6.2.1: PID 100, BLP 0x8001 = 101 and 116 lost as well.
        byte[] nack = Convert.FromHexString("81cd0003" + "00000001" + "11223344" + "00648001");

        Assert.True(RtcpFeedback.TryParseGenericNack(nack, out uint mediaSsrc, out _));
        Assert.Equal(0x11223344u, mediaSsrc);
        Assert.Equal([100, 101, 116], Lost(nack));
    }

    [Fact]
    public void Writing_packs_runs_into_few_pairs_and_reads_back_the_same_list()
    {
        ushort[] lost = [65530, 65531, 65535, 2, 40, 41, 57, 58];
        var buffer = new byte[64];

        int length = RtcpFeedbackWriter.WriteGenericNack(buffer, 1, 0xCAFE, lost);

        Assert.Equal(12 + (3 * 4), length); // 65530 with +1, +5, +8 (wrapping to 2); 40 with +1; 57 with +1
        Assert.Equal(lost, Lost(buffer.AsSpan(0, length)));
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryReadNext(out RtcpPacketType type, out int format, out _));
        Assert.Equal(RtcpPacketType.TransportFeedback, type);
        Assert.Equal(1, format);
    }

    [Fact]
    public void Pli_and_fir_round_trip_and_are_not_mistaken_for_each_other()
    {
        var buffer = new byte[32];
        int pli = RtcpFeedbackWriter.WritePictureLoss(buffer, 1, 0xABCD);
        Assert.True(RtcpFeedback.TryParsePictureLoss(buffer.AsSpan(0, pli), out uint ssrc));
        Assert.Equal(0xABCDu, ssrc);
        Assert.False(RtcpFeedback.TryParseFullIntraRequest(buffer.AsSpan(0, pli), out _));

        int fir = RtcpFeedbackWriter.WriteFullIntraRequest(buffer, 1, 0xBEEF, 7);
        Assert.True(RtcpFeedback.TryParseFullIntraRequest(buffer.AsSpan(0, fir), out ssrc));
        Assert.Equal(0xBEEFu, ssrc);
        Assert.False(RtcpFeedback.TryParsePictureLoss(buffer.AsSpan(0, fir), out _));
    }

    [Theory]
    [InlineData("81cd0002" + "00000001" + "11223344")] // no FCI
    [InlineData("81cd0003" + "00000001" + "112233")] // truncated
    [InlineData("82cd0003" + "00000001" + "11223344" + "00648001")] // FMT 2 is not a generic NACK
    [InlineData("81ce0003" + "00000001" + "11223344" + "00648001")] // PSFB, not RTPFB
    public void Malformed_nacks_are_refused(string hex) =>
        Assert.False(RtcpFeedback.TryParseGenericNack(Convert.FromHexString(hex), out _, out _));
}
