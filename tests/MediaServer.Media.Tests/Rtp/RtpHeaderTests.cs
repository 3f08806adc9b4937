using MediaServer.Media.Rtp;

namespace MediaServer.Media.Tests.Rtp;

public class RtpHeaderTests
{
    private static readonly byte[] Minimal =
    [
        0x80, 0xE0, 0x12, 0x34, 0x00, 0x01, 0x5F, 0x90, 0xDE, 0xAD, 0xBE, 0xEF, 0x65, 0x88,
    ];

    [Fact]
    public void Parses_the_fixed_header_of_rfc_3550()
    {
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(Minimal, out RtpHeader header));
        Assert.True(header.Marker);
        Assert.Equal(96, header.PayloadType);
        Assert.Equal(0x1234, header.SequenceNumber);
        Assert.Equal(90000u, header.Timestamp);
        Assert.Equal(0xDEADBEEFu, header.Ssrc);
        Assert.Equal(12, header.HeaderLength);
        Assert.Equal(2, header.PayloadLength);
    }

    [Fact]
    public void Skips_csrc_list_and_header_extension_and_strips_padding()
    {
        byte[] packet =
        [
            0xB1, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, // V=2 P=1 X=1 CC=1
            0, 0, 0, 9, // CSRC
            0xBE, 0xDE, 0, 1, 1, 2, 3, 4, // extension of one word
            0x41, 0xAA, // payload
            0, 0, 3, // padding, last byte = count
        ];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(packet, out RtpHeader header));
        Assert.Equal(24, header.HeaderLength);
        Assert.Equal(2, header.PayloadLength);
        Assert.False(header.Marker);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x60, 0, 1 }, RtpParseError.TooShort)]
    [InlineData(new byte[] { 0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, RtpParseError.BadVersion)]
    [InlineData(new byte[] { 0x8F, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, RtpParseError.TruncatedCsrcList)]
    [InlineData(new byte[] { 0x90, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 9 }, RtpParseError.TruncatedExtension)]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x40 }, RtpParseError.BadPadding)]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, RtpParseError.BadPadding)]
    public void Packets_that_lie_about_their_lengths_are_typed_errors(byte[] packet, RtpParseError expected) =>
        Assert.Equal(expected, RtpHeader.TryParse(packet, out _));

    [Fact]
    public void Rewrite_changes_only_sequence_timestamp_and_ssrc()
    {
        byte[] packet = (byte[])Minimal.Clone();
        RtpHeader.Rewrite(packet, 7, 1234, 0x01020304);
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(packet, out RtpHeader header));
        Assert.Equal(7, header.SequenceNumber);
        Assert.Equal(1234u, header.Timestamp);
        Assert.Equal(0x01020304u, header.Ssrc);
        Assert.True(header.Marker);
        Assert.Equal(Minimal[12..], packet[12..]);
    }

    [Fact]
    public void Fifteen_csrcs_and_an_extension_that_ends_the_packet()
    {
        byte[] packet = new byte[12 + (15 * 4) + 4];
        packet[0] = 0x9F; // V=2, X=1, CC=15
        packet[1] = 0x60;
        packet[12 + 60] = 0xBE;
        packet[12 + 60 + 1] = 0xDE; // extension of zero words
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(packet, out RtpHeader header));
        Assert.Equal(packet.Length, header.HeaderLength);
        Assert.Equal(0, header.PayloadLength);
    }

    [Fact]
    public void Padding_may_take_the_whole_payload()
    {
        byte[] packet = [0xA0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(packet, out RtpHeader header));
        Assert.Equal(0, header.PayloadLength);
    }
}
