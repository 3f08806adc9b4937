using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests.Formats.Aac;

public class Mpeg4GenericDepacketizerTests
{
    private static Mpeg4GenericDepacketizer Create(RecordingSink sink)
    {
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse("mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1190");
        Assert.True(Mpeg4GenericDepacketizer.TryCreate(fmtp, sink, out Mpeg4GenericDepacketizer? d));
        return d!;
    }

    [Fact]
    public void Two_access_units_in_one_packet_rfc3640_3_3_6()
    {
        var sink = new RecordingSink();
        // AU-headers-length 32 bits; headers: size 3 / index 0, size 2 / delta 0 (13+3 bits each).
        byte[] payload = [0x00, 0x20, 0x00, 0x18, 0x00, 0x10, 0xA1, 0xA2, 0xA3, 0xB1, 0xB2];
        Assert.Equal(DepacketizeResult.Ok, Create(sink).Push(payload, 48000));
        Assert.Equal([[0xA1, 0xA2, 0xA3], [0xB1, 0xB2]], sink.Units);
        Assert.Equal([48000u, 49024u], sink.Timestamps);
    }

    [Fact]
    public void An_access_unit_longer_than_the_packet_is_refused()
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Unsupported, Create(sink).Push([0x00, 0x10, 0x01, 0x00, 0xA1], 0)); // 32 bytes announced
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x40, 0x00], 0)); // headers beyond the packet
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x00], 0));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void Fmtp_without_sizelength_is_refused() =>
        Assert.False(Mpeg4GenericDepacketizer.TryCreate(FmtpParameters.Parse("mode=AAC-hbr"), new RecordingSink(), out _));

    // One AU-header (13-bit AU-size, 3-bit AU-Index) in front of a payload fragment.
    private static byte[] Fragment(int accessUnitSize, params byte[] data) =>
        [0x00, 0x10, (byte)(accessUnitSize >> 5), (byte)((accessUnitSize & 0x1F) << 3), .. data];

    [Fact]
    public void Single_access_unit_rfc3640_3_3_6()
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Ok, Create(sink).Push(Fragment(3, 0x21, 0x10, 0x05), 1000));
        Assert.Equal([0x21, 0x10, 0x05], sink.Units.Single());
        Assert.Equal([1000u], sink.Timestamps);
    }

    [Fact]
    public void Interleaved_access_units_are_unsupported()
    {
        var sink = new RecordingSink();
        // AU-size 1, AU-Index 2.
        Assert.Equal(DepacketizeResult.Unsupported, Create(sink).Push([0x00, 0x10, 0x00, 0x0A, 0xA1], 0));
        // First AU fine, second with AU-Index-delta 1.
        Assert.Equal(DepacketizeResult.Unsupported, Create(sink).Push([0x00, 0x20, 0x00, 0x08, 0x00, 0x09, 0xA1, 0xB1], 0));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void Zero_sized_access_units_and_lying_multi_au_sizes_are_malformed()
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x10, 0x00, 0x00, 0xA1], 0));
        // Two AU-headers announcing 3 + 2 bytes, only 4 present.
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x20, 0x00, 0x18, 0x00, 0x10, 1, 2, 3, 4], 0));
        // 20 bits of AU-headers: a second header cut short.
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x14, 0x00, 0x08, 0x00, 0xA1], 0));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void A_fragmented_access_unit_is_reassembled_when_sequence_numbers_are_known()
    {
        var sink = new RecordingSink();
        Mpeg4GenericDepacketizer d = Create(sink);
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(5, 1, 2), 65535, 4096, false));
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(5, 3, 4), 0, 4096, false));
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(5, 5), 1, 4096, true));
        Assert.Equal([1, 2, 3, 4, 5], sink.Units.Single());
        Assert.Equal([4096u], sink.Timestamps);

        // Whole AUs still work through the same overload.
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(1, 9), 2, 5120, true));
        Assert.Equal([9], sink.Units[^1]);
    }

    [Fact]
    public void A_lost_fragment_drops_the_access_unit_and_what_follows_of_it()
    {
        var sink = new RecordingSink();
        Mpeg4GenericDepacketizer d = Create(sink);
        d.Push(Fragment(6, 1, 2), 10, 0, false);
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, d.Push(Fragment(6, 5, 6), 12, 0, false)); // 11 lost
        Assert.Equal(DepacketizeResult.DroppedFragment, d.Push(Fragment(6, 7), 13, 0, true));
        Assert.Empty(sink.Units);

        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(2, 8), 14, 1024, false));
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(2, 9), 15, 1024, true));
        Assert.Equal([8, 9], sink.Units.Single());
    }

    [Fact]
    public void Joining_in_the_middle_of_a_fragmented_access_unit_delivers_nothing()
    {
        var sink = new RecordingSink();
        Mpeg4GenericDepacketizer d = Create(sink);
        // The first fragment was sent before this reader joined; the marker comes before the AU is whole.
        Assert.Equal(DepacketizeResult.Ok, d.Push(Fragment(6, 3, 4), 1, 0, false));
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, d.Push(Fragment(6, 5, 6), 2, 0, true));
        // Fragments that overshoot the announced size are a lie.
        d.Push(Fragment(3, 1, 2), 3, 1024, false);
        Assert.Equal(DepacketizeResult.Malformed, d.Push(Fragment(3, 3, 4), 4, 1024, true));
        Assert.Empty(sink.Units);
    }

    [Theory]
    [InlineData("sizelength=13;indexlength=3;indexdeltalength=3;ctsdeltalength=16")]
    [InlineData("sizelength=13;indexlength=3;indexdeltalength=3;randomaccessindication=1")]
    [InlineData("sizelength=13;indexlength=3;indexdeltalength=3;auxiliarydatasizelength=8")]
    [InlineData("sizelength=17")]
    [InlineData("sizelength=13;indexlength=x")]
    public void Fmtp_with_au_header_fields_it_cannot_read_is_refused(string fmtp) =>
        Assert.False(Mpeg4GenericDepacketizer.TryCreate(FmtpParameters.Parse(fmtp), new RecordingSink(), out _));

    [Fact]
    public void Aac_lbr_layout_and_constant_duration_from_fmtp()
    {
        // AAC-lbr: sizelength 6, indexlength 2, indexdeltalength 2; frames of 960 samples.
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse("mode=AAC-lbr;sizelength=6;indexlength=2;indexdeltalength=2;constantduration=960");
        var sink = new RecordingSink();
        Assert.True(Mpeg4GenericDepacketizer.TryCreate(fmtp, sink, out Mpeg4GenericDepacketizer? d));
        // Two 8-bit headers: size 2 / index 0, size 1 / delta 0.
        Assert.Equal(DepacketizeResult.Ok, d!.Push([0x00, 0x10, 0x08, 0x04, 0xA1, 0xA2, 0xB1], 100));
        Assert.Equal([[0xA1, 0xA2], [0xB1]], sink.Units);
        Assert.Equal([100u, 1060u], sink.Timestamps);
    }
}
