using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests;

public class KeyframeDetectorTests
{
    [Theory]
    [InlineData(new byte[] { 0x65, 0x88 }, true)] // IDR slice
    [InlineData(new byte[] { 0x41, 0x9A }, false)] // non-IDR slice
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x65, 0x88 }, true)] // STAP-A: SPS, IDR
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x09, 0x65 }, false)] // STAP-A size beyond the packet
    [InlineData(new byte[] { 0x7C, 0x85, 0x88 }, true)] // FU-A start of an IDR
    [InlineData(new byte[] { 0x7C, 0x05, 0x88 }, false)] // FU-A middle of an IDR
    [InlineData(new byte[] { 0x7C }, false)] // truncated FU-A
    [InlineData(new byte[] { }, false)]
    public void Finds_h264_idr_slices(byte[] payload, bool expected) =>
        Assert.Equal(expected, KeyframeDetector.ContainsRandomAccess(CodecKind.H264, payload));

    [Theory]
    [InlineData(new byte[] { 0x26, 0x01, 0xAF }, true)] // IDR_W_RADL (19)
    [InlineData(new byte[] { 0x2A, 0x01, 0xAF }, true)] // CRA (21)
    [InlineData(new byte[] { 0x02, 0x01, 0xD0 }, false)] // TRAIL_R (1)
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x03, 0x26, 0x01, 0xAF }, true)] // AP: VPS, IDR
    [InlineData(new byte[] { 0x62, 0x01, 0x93, 0xAF }, true)] // FU start, type 19
    [InlineData(new byte[] { 0x62, 0x01, 0x13, 0xAF }, false)] // FU continuation
    public void Finds_h265_irap_pictures(byte[] payload, bool expected) =>
        Assert.Equal(expected, KeyframeDetector.ContainsRandomAccess(CodecKind.H265, payload));

    [Fact]
    public void Every_audio_packet_is_a_random_access_point_and_unknown_video_never_is()
    {
        Assert.True(KeyframeDetector.ContainsRandomAccess(CodecKind.Opus, [1]));
        Assert.True(KeyframeDetector.ContainsRandomAccess(CodecKind.Pcmu, [1]));
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.Vp8, [1]));
    }

    [Fact]
    public void Finds_parameter_sets()
    {
        Assert.True(KeyframeDetector.ContainsParameterSets(CodecKind.H264, [0x67, 0x42]));
        Assert.True(KeyframeDetector.ContainsParameterSets(CodecKind.H264, [0x18, 0x00, 0x01, 0x68]));
        Assert.False(KeyframeDetector.ContainsParameterSets(CodecKind.H264, [0x65, 0x88]));
        Assert.True(KeyframeDetector.ContainsParameterSets(CodecKind.H265, [0x40, 0x01, 0x0C]));
    }
}
