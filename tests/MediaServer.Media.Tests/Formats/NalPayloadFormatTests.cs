using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests.Formats;

public sealed class NalPayloadFormatTests
{
    [Theory]
    [InlineData(0x65, H264NalUnitType.FuA, 0x7C)] // F 0, nal_ref_idc 3 kept
    [InlineData(0xE5, H264NalUnitType.FuA, 0xFC)] // the forbidden bit is kept, not repaired
    [InlineData(0x1C, H264NalUnitType.IdrSlice, 0x05)]
    public void H264_with_type_replaces_only_the_low_five_bits(byte header, int type, byte expected) =>
        Assert.Equal(expected, H264PayloadFormat.WithType(header, type));

    [Theory]
    [InlineData(0x26, H265NalUnitType.Fu, 0x62)] // IDR_W_RADL becomes FU
    [InlineData(0x63, 19, 0x27)] // the low bit (top of nuh_layer_id) is kept
    [InlineData(0xE2, 1, 0x82)] // so is F
    public void H265_with_type_replaces_only_bits_one_to_six(byte header, int type, byte expected) =>
        Assert.Equal(expected, H265PayloadFormat.WithType(header, type));

    [Theory]
    [InlineData(0x85, H264NalUnitType.IdrSlice)]
    [InlineData(0x41, H264NalUnitType.NonIdrSlice)]
    public void H264_fragment_header_type_is_its_low_five_bits(byte header, int type) =>
        Assert.Equal(type, H264PayloadFormat.TypeOfFragmentHeader(header));

    [Theory]
    [InlineData(0x93, 19)]
    [InlineData(0x7F, 63)]
    public void H265_fragment_header_type_is_its_low_six_bits(byte header, int type) =>
        Assert.Equal(type, H265PayloadFormat.TypeOfFragmentHeader(header));

    [Fact]
    public void H264_single_units_are_types_one_to_twenty_three()
    {
        int[] single = Enumerable.Range(0, 32).Where(H264PayloadFormat.IsSingleUnit).ToArray();
        Assert.Equal(Enumerable.Range(1, 23), single);
    }

    [Fact]
    public void H265_single_units_are_every_type_below_the_aggregation_packet()
    {
        int[] single = Enumerable.Range(0, 64).Where(H265PayloadFormat.IsSingleUnit).ToArray();
        Assert.Equal(Enumerable.Range(0, H265NalUnitType.Ap), single);
    }

    [Fact]
    public void Random_access_is_an_idr_slice_for_h264_and_an_irap_picture_for_h265()
    {
        Assert.Equal([H264NalUnitType.IdrSlice], Enumerable.Range(0, 32).Where(H264PayloadFormat.IsRandomAccess));
        Assert.Equal(Enumerable.Range(16, 6), Enumerable.Range(0, 64).Where(H265PayloadFormat.IsRandomAccess));
    }

    [Fact]
    public void Parameter_sets_are_numbered_in_the_order_they_are_sent()
    {
        Assert.Equal(
            [-1, 0, 1, -1],
            new[] { H264NalUnitType.IdrSlice, H264NalUnitType.Sps, H264NalUnitType.Pps, H264NalUnitType.StapA }.Select(H264PayloadFormat.ParameterSetIndex));
        Assert.Equal(
            [-1, 0, 1, 2, -1],
            new[] { 19, H265NalUnitType.Vps, H265NalUnitType.Sps, H265NalUnitType.Pps, H265NalUnitType.Ap }.Select(H265PayloadFormat.ParameterSetIndex));
        Assert.Equal(2, H264PayloadFormat.ParameterSetCount);
        Assert.Equal(3, H265PayloadFormat.ParameterSetCount);
    }

    [Fact]
    public void H264_parameter_set_aggregate_takes_the_highest_nal_ref_idc()
    {
        byte[] header = [0xFF];
        byte[]?[] sets = [[0x27, 0x42], [0x68, 0xCE]]; // nal_ref_idc 1 and 3
        H264PayloadFormat.WriteParameterSetAggregationHeader(header, sets);
        Assert.Equal(0x78, header[0]); // nal_ref_idc 3, STAP-A
    }

    [Fact]
    public void H265_parameter_set_aggregate_is_an_ap_of_layer_zero_and_the_lowest_temporal_id()
    {
        byte[] header = [0xFF, 0xFF];
        byte[]?[] sets = [[0x40, 0x01], [0x42, 0x01], [0x44, 0x01]];
        H265PayloadFormat.WriteParameterSetAggregationHeader(header, sets);
        Assert.Equal([0x60, 0x01], header);
    }

    [Theory]
    [InlineData(new byte[0], NalPacketKind.Empty)]
    [InlineData(new byte[] { 0x65 }, NalPacketKind.Single)] // IDR slice, header only
    [InlineData(new byte[] { 0x17 }, NalPacketKind.Single)] // type 23
    [InlineData(new byte[] { 0x78, 0x00 }, NalPacketKind.Aggregation)]
    [InlineData(new byte[] { 0x7C }, NalPacketKind.Fragment)] // length is the fragment reader's check
    [InlineData(new byte[] { 0x19, 0x00 }, NalPacketKind.Unsupported)] // STAP-B
    [InlineData(new byte[] { 0x1A, 0x00 }, NalPacketKind.Unsupported)] // MTAP16
    [InlineData(new byte[] { 0x1B, 0x00 }, NalPacketKind.Unsupported)] // MTAP24
    [InlineData(new byte[] { 0x1D, 0x00 }, NalPacketKind.Unsupported)] // FU-B
    [InlineData(new byte[] { 0x00, 0x00 }, NalPacketKind.Malformed)]
    [InlineData(new byte[] { 0x1E, 0x00 }, NalPacketKind.Malformed)]
    [InlineData(new byte[] { 0x1F, 0x00 }, NalPacketKind.Malformed)]
    public void H264_classifies_by_the_type_field(byte[] payload, NalPacketKind kind) =>
        Assert.Equal(kind, H264PayloadFormat.Classify(payload));

    [Theory]
    [InlineData(new byte[0], NalPacketKind.Malformed)]
    [InlineData(new byte[] { 0x26, 0x01 }, NalPacketKind.Malformed)] // a header and nothing more
    [InlineData(new byte[] { 0xA6, 0x01, 0x00 }, NalPacketKind.Malformed)] // F set
    [InlineData(new byte[] { 0x26, 0x01, 0x00 }, NalPacketKind.Single)]
    [InlineData(new byte[] { 0x5E, 0x01, 0x00 }, NalPacketKind.Single)] // type 47
    [InlineData(new byte[] { 0x60, 0x01, 0x00 }, NalPacketKind.Aggregation)]
    [InlineData(new byte[] { 0x62, 0x01, 0x00 }, NalPacketKind.Fragment)]
    [InlineData(new byte[] { 0x64, 0x01, 0x00 }, NalPacketKind.Unsupported)] // PACI
    [InlineData(new byte[] { 0x7E, 0x01, 0x00 }, NalPacketKind.Unsupported)] // type 63
    public void H265_classifies_by_length_forbidden_bit_and_type_field(byte[] payload, NalPacketKind kind) =>
        Assert.Equal(kind, H265PayloadFormat.Classify(payload));
}
