using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests.Formats;

public class BFrameDetectorTests
{
    [Theory]
    [InlineData(new byte[] { 0x01, 0xA0 }, true)] // non-reference slice, first_mb 0, slice_type 1 (B)
    [InlineData(new byte[] { 0x21, 0x9C }, true)] // reference slice, slice_type 6 (B, all slices)
    [InlineData(new byte[] { 0x41, 0xC0 }, false)] // slice_type 0 (P)
    [InlineData(new byte[] { 0x41, 0x98 }, false)] // slice_type 5 (P, all slices)
    [InlineData(new byte[] { 0x65, 0x88 }, false)] // IDR, slice_type 7 (I)
    [InlineData(new byte[] { 0x06, 0xA0 }, false)] // SEI: not a slice, whatever follows
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x01, 0xA0 }, true)] // STAP-A: SPS, B slice
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x09, 0x01, 0xA0 }, false)] // STAP-A size beyond the packet
    [InlineData(new byte[] { 0x3C, 0x81, 0xA0 }, true)] // FU-A start of a B slice
    [InlineData(new byte[] { 0x3C, 0x01, 0xA0 }, false)] // FU-A continuation: no slice header in it
    [InlineData(new byte[] { 0x3C, 0x81 }, false)] // FU-A start cut short
    [InlineData(new byte[] { 0x01 }, false)] // slice with no header bits
    [InlineData(new byte[] { }, false)]
    public void Finds_h264_b_slices(byte[] payload, bool expected) =>
        Assert.Equal(expected, BFrameDetector.ContainsBSlice(CodecKind.H264, payload));

    [Fact]
    public void Skips_h264_emulation_prevention_bytes_inside_the_slice_header()
    {
        // first_mb_in_slice = 2^16 - 1 (16 leading zeros): its code holds 0x00 0x00, so the encoder
        // inserted 0x03; slice_type 1 (B) follows. Read with the 0x03, the slice would look like P.
        byte[] slice = [0x01, 0x00, 0x00, 0x03, 0x80, 0x00, 0x2F];

        Assert.True(BFrameDetector.ContainsBSlice(CodecKind.H264, slice));
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x01, 0xE0 }, true)] // TRAIL_R, first segment, pps 0, slice_type 0 (B)
    [InlineData(new byte[] { 0x00, 0x01, 0xE0 }, true)] // TRAIL_N
    [InlineData(new byte[] { 0x02, 0x01, 0xD0 }, false)] // slice_type 1 (P)
    [InlineData(new byte[] { 0x02, 0x01, 0x60 }, false)] // not the picture's first slice segment
    [InlineData(new byte[] { 0x26, 0x01, 0xE0 }, false)] // IDR_W_RADL: intra only
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x03, 0x02, 0x01, 0xE0 }, true)] // AP: VPS, B slice
    [InlineData(new byte[] { 0x62, 0x01, 0x81, 0xE0 }, true)] // FU start, type 1
    [InlineData(new byte[] { 0x62, 0x01, 0x01, 0xE0 }, false)] // FU continuation
    [InlineData(new byte[] { 0x02, 0x01 }, false)]
    public void Finds_h265_b_slices(byte[] payload, bool expected) =>
        Assert.Equal(expected, BFrameDetector.ContainsBSlice(CodecKind.H265, payload));

    [Fact]
    public void H265_slice_type_is_read_after_the_pps_extra_slice_header_bits()
    {
        // PPS: ids 0 and 0, two flags, num_extra_slice_header_bits = 2.
        int extra = BFrameDetector.H265ExtraSliceHeaderBits([0x44, 0x01, 0xC4]);
        byte[] slice = [0x02, 0x01, 0xC8]; // first segment, pps 0, two reserved bits, slice_type 0

        Assert.Equal(2, extra);
        Assert.True(BFrameDetector.ContainsBSlice(CodecKind.H265, slice, extra));
        Assert.False(BFrameDetector.ContainsBSlice(CodecKind.H265, slice, 0));
    }

    [Fact]
    public void Other_codecs_never_have_b_slices() =>
        Assert.False(BFrameDetector.ContainsBSlice(CodecKind.Vp8, [0x01, 0xA0]));
}
