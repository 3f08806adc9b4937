using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests;

public class ParameterSetTests
{
    [Fact]
    public void Sprop_parameter_sets_decode_with_base64_padding_and_give_the_profile_level_id()
    {
        Assert.True(H264ParameterSets.TryParseSprop("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", out byte[]? sps, out byte[]? pps));
        Assert.Equal(0x67, sps![0]);
        Assert.Equal([0x68, 0xCE, 0x3C, 0x80], pps);
        Assert.True(H264ParameterSets.TryGetProfileLevelId(sps, out string profileLevelId));
        Assert.Equal("420029", profileLevelId);
        Assert.Equal("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", H264ParameterSets.FormatSprop(sps, pps));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("Z0IAKeKQFAe2AtwEBAaQeJEV")] // SPS only
    public void Incomplete_or_bad_sprop_is_refused(string? sprop) =>
        Assert.False(H264ParameterSets.TryParseSprop(sprop, out _, out _));

    [Fact]
    public void Tracker_keeps_the_latest_in_band_sets_and_counts_only_changes()
    {
        var tracker = new ParameterSetTracker();
        tracker.Observe(CodecKind.H264, [0x18, 0x00, 0x03, 0x67, 0x42, 0x00, 0x00, 0x02, 0x68, 0xCE]);
        Assert.Equal([0x67, 0x42, 0x00], tracker.Sps);
        Assert.Equal([0x68, 0xCE], tracker.Pps);
        Assert.Equal(2, tracker.Version);

        tracker.Observe(CodecKind.H264, [0x67, 0x42, 0x00]);
        Assert.Equal(2, tracker.Version);
        tracker.Observe(CodecKind.H264, [0x67, 0x4D, 0x00]);
        Assert.Equal(3, tracker.Version);
        tracker.Observe(CodecKind.H264, [0x65, 0x88]);
        Assert.Equal(3, tracker.Version);
    }

    [Fact]
    public void Tracker_reads_h265_vps_sps_pps()
    {
        var tracker = new ParameterSetTracker();
        tracker.Observe(CodecKind.H265, [0x40, 0x01, 0x0C]);
        tracker.Observe(CodecKind.H265, [0x42, 0x01, 0x01]);
        tracker.Observe(CodecKind.H265, [0x44, 0x01, 0xC0]);
        Assert.Equal([0x40, 0x01, 0x0C], tracker.Vps);
        Assert.Equal([0x42, 0x01, 0x01], tracker.Sps);
        Assert.Equal([0x44, 0x01, 0xC0], tracker.Pps);
    }
}
