using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests.Formats;

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
    public void Walks_every_unit_of_a_stap_a_not_just_the_first()
    {
        // STAP-A (RFC 6184 §5.7.1): SEI, non-IDR slice, IDR slice.
        byte[] stapA = [0x18, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x41, 0x9A, 0x00, 0x02, 0x65, 0x88];
        Assert.True(KeyframeDetector.ContainsRandomAccess(CodecKind.H264, stapA));
    }

    [Theory]
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x41, 0x9A, 0xFF, 0xFF, 0x65 })] // second size far beyond the packet
    [InlineData(new byte[] { 0x18, 0x00, 0x02, 0x41, 0x9A, 0x00 })] // second size field cut in half
    [InlineData(new byte[] { 0x18, 0x00, 0x00, 0x00, 0x01, 0x65 })] // zero-size unit before the IDR
    [InlineData(new byte[] { 0x18 })]
    [InlineData(new byte[] { 0x1C })] // FU-A without its FU header
    public void Truncated_or_lying_h264_payloads_are_not_keyframes(byte[] payload) =>
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.H264, payload));

    [Theory]
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x09, 0x26 })] // AP: second size beyond the packet
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x01, 0x26, 0x00, 0x03, 0x26, 0x01, 0xAF })] // AP unit shorter than a NAL header
    [InlineData(new byte[] { 0x62, 0x01 })] // FU without its FU header
    [InlineData(new byte[] { 0x26 })] // half a payload header
    [InlineData(new byte[] { 0x2C, 0x01, 0xAF })] // type 22 (RSV_IRAP_VCL22) is not an IRAP picture type in use
    public void Truncated_or_lying_h265_payloads_are_not_keyframes(byte[] payload) =>
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.H265, payload));

    [Theory]
    [InlineData(16)] // BLA_W_LP
    [InlineData(20)] // IDR_N_LP
    [InlineData(21)] // CRA_NUT
    public void Every_h265_irap_type_counts(int type) =>
        Assert.True(KeyframeDetector.ContainsRandomAccess(CodecKind.H265, [(byte)(type << 1), 0x01, 0xAF]));

    [Theory]
    [InlineData(new byte[] { 0x10, 0x9C, 0x01, 0x2A }, true)] // S=1, PID=0, P=0: key frame
    [InlineData(new byte[] { 0x10, 0x9D, 0x01, 0x2A }, false)] // P=1: inter frame
    [InlineData(new byte[] { 0x00, 0x9C }, false)] // not the start of a partition
    [InlineData(new byte[] { 0x11, 0x9C }, false)] // start of partition 1
    [InlineData(new byte[] { 0x90, 0x80, 0x81, 0x23, 0x9C }, true)] // X, I with a 15-bit PictureID
    [InlineData(new byte[] { 0x90, 0xF0, 0x05, 0x07, 0x20, 0x9C }, true)] // X, I (7-bit), L, T/K
    [InlineData(new byte[] { 0x90, 0xF0, 0x05, 0x07, 0x20 }, false)] // descriptor with no VP8 payload after it
    [InlineData(new byte[] { 0x90, 0x80 }, false)] // I announced, PictureID missing
    [InlineData(new byte[] { 0x90 }, false)] // X announced, extension missing
    public void Finds_vp8_key_frames_rfc7741(byte[] payload, bool expected) =>
        Assert.Equal(expected, KeyframeDetector.ContainsRandomAccess(CodecKind.Vp8, payload));

    [Theory]
    [InlineData(new byte[] { 0x08, 0x00 }, true)] // B=1, P=0
    [InlineData(new byte[] { 0x48, 0x00 }, false)] // P=1: inter-picture predicted
    [InlineData(new byte[] { 0x00, 0x00 }, false)] // not the start of a frame
    [InlineData(new byte[] { 0xA8, 0x80, 0x01, 0x00, 0x00 }, true)] // I (15-bit), L with SID 0
    [InlineData(new byte[] { 0xA8, 0x05, 0x02, 0x00 }, false)] // I (7-bit), L with SID 1
    [InlineData(new byte[] { 0xA8, 0x80, 0x01 }, false)] // layer indices missing
    public void Finds_vp9_key_frames_rfc9628(byte[] payload, bool expected) =>
        Assert.Equal(expected, KeyframeDetector.ContainsRandomAccess(CodecKind.Vp9, payload));

    [Fact]
    public void Av1_new_coded_video_sequence_is_random_access()
    {
        Assert.True(KeyframeDetector.ContainsRandomAccess(CodecKind.Av1, [0x18, 0x0A]));
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.Av1, [0x10, 0x0A]));
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.Av1, []));
        Assert.False(KeyframeDetector.ContainsRandomAccess(CodecKind.Unknown, [0x18]));
    }

    [Fact]
    public void Detection_does_not_allocate()
    {
        byte[] stapA = [0x18, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x41, 0x9A, 0x00, 0x02, 0x65, 0x88];
        byte[] ap = [0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x03, 0x26, 0x01, 0xAF];
        KeyframeDetector.ContainsRandomAccess(CodecKind.H264, stapA);
        KeyframeDetector.ContainsRandomAccess(CodecKind.H265, ap);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < 1000; i++)
        {
            found += KeyframeDetector.ContainsRandomAccess(CodecKind.H264, stapA) ? 1 : 0;
            found += KeyframeDetector.ContainsRandomAccess(CodecKind.H265, ap) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2000, found);
    }
}
