using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests.Formats;

public class ParameterSetTests
{
    [Fact]
    public void Sprop_parameter_sets_decode_with_base64_padding()
    {
        Assert.True(H264ParameterSets.TryParseSprop("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==", out byte[]? sps, out byte[]? pps));
        Assert.Equal(0x67, sps![0]);
        Assert.Equal([0x68, 0xCE, 0x3C, 0x80], pps);
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

    [Fact]
    public void Sprop_without_base64_padding_is_tolerated()
    {
        Assert.True(H264ParameterSets.TryParseSprop("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA", out _, out byte[]? pps));
        Assert.Equal([0x68, 0xCE, 0x3C, 0x80], pps);
    }

    [Fact]
    public void Sprop_skips_other_nal_types_and_keeps_the_first_of_each()
    {
        // An SEI (type 6) before the SPS, and a second PPS after the first.
        string sprop = Convert.ToBase64String(new byte[] { 0x06, 0x05, 0x01 }) + ", Z0IAKeKQFAe2AtwEBAaQeJEV ,aM48gA==," +
            Convert.ToBase64String(new byte[] { 0x68, 0x01 });
        Assert.True(H264ParameterSets.TryParseSprop(sprop, out byte[]? sps, out byte[]? pps));
        Assert.Equal(0x67, sps![0]);
        Assert.Equal([0x68, 0xCE, 0x3C, 0x80], pps);
    }

    [Theory]
    [InlineData("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48g")] // 5 characters: no padding makes that base64
    [InlineData("Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==,%%%%")]
    [InlineData(",,,")]
    public void Sprop_with_any_bad_element_is_refused(string sprop) =>
        Assert.False(H264ParameterSets.TryParseSprop(sprop, out _, out _));

    // VPS, SPS and PPS of an H.265 Main profile stream as ffmpeg announces them.
    private const string Vps = "QAEMAf//AWAAAAMAkAAAAwAAAwB4mZgJ";
    private const string Sps = "QgEBAWAAAAMAkAAAAwAAAwB4oAPAgBDlmZpJMryAQAAAAwBAAAAHgg==";
    private const string Pps = "RAHBcrRiQA==";

    [Fact]
    public void H265_sprop_parameters_decode_by_type()
    {
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse($"sprop-vps={Vps}; sprop-sps={Sps}; sprop-pps={Pps}");
        Assert.True(H265ParameterSets.TryParseSprop(fmtp, out byte[]? vps, out byte[]? sps, out byte[]? pps));
        Assert.Equal(32, (vps![0] >> 1) & 0x3F);
        Assert.Equal(33, (sps![0] >> 1) & 0x3F);
        Assert.Equal([0x44, 0x01, 0xC1, 0x72, 0xB4, 0x62, 0x40], pps);
        Assert.Equal($"sprop-vps={Vps};sprop-sps={Sps};sprop-pps={Pps}", H265ParameterSets.FormatSprop(vps, sps, pps));
    }

    [Theory]
    [InlineData(null, Sps, Pps)]
    [InlineData(Vps, Pps, Pps)] // a PPS where the SPS belongs
    [InlineData(Vps, Sps, "not*base64")]
    [InlineData(Vps, Sps, "QA")] // one byte: shorter than an H.265 NAL unit header
    public void H265_sprop_that_is_missing_or_mistyped_is_refused(string? vps, string? sps, string? pps)
    {
        Assert.False(H265ParameterSets.TryParseSprop(vps, sps, pps, out byte[]? v, out byte[]? s, out byte[]? p));
        Assert.Null(v);
        Assert.Null(s);
        Assert.Null(p);
    }

    [Fact]
    public void Tracker_ignores_fragments_other_codecs_and_lying_aggregates()
    {
        var tracker = new ParameterSetTracker();
        tracker.Observe(CodecKind.H264, [0x7C, 0x87, 0x42, 0x00]); // FU-A start of an SPS: not a whole one
        tracker.Observe(CodecKind.Aac, [0x67, 0x42]);
        tracker.Observe(CodecKind.H264, []);
        tracker.Observe(CodecKind.H264, [0x18, 0x00, 0x09, 0x67, 0x42]); // STAP-A size beyond the packet
        Assert.Null(tracker.Sps);
        Assert.Equal(0, tracker.Version);
    }

    [Fact]
    public void Tracker_h265_aggregation_packet_and_no_allocation_when_nothing_changes()
    {
        var tracker = new ParameterSetTracker();
        byte[] ap = [0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x03, 0x42, 0x01, 0x01, 0x00, 0x03, 0x44, 0x01, 0xC0];
        tracker.Observe(CodecKind.H265, ap);
        Assert.Equal(3, tracker.Version);
        byte[]? sps = tracker.Sps;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            tracker.Observe(CodecKind.H265, ap);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(sps, tracker.Sps);
        Assert.Equal(3, tracker.Version);
        Assert.Equal([0x40, 0x01, 0x0C], tracker.Vps);
    }
}
