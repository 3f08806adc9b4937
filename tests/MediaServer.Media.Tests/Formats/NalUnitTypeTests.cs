using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests.Formats;

public sealed class NalUnitTypeTests
{
    [Theory]
    [InlineData(0x67, H264NalUnitType.Sps)] // forbidden_zero_bit 0, nal_ref_idc 3, type 7
    [InlineData(0x68, H264NalUnitType.Pps)]
    [InlineData(0x65, H264NalUnitType.IdrSlice)]
    [InlineData(0x41, H264NalUnitType.NonIdrSlice)] // nal_ref_idc 2
    [InlineData(0x7C, H264NalUnitType.FuA)] // an FU indicator with nal_ref_idc 3
    [InlineData(0x18, H264NalUnitType.StapA)] // nal_ref_idc 0
    [InlineData(0x85, H264NalUnitType.IdrSlice)] // an FU header: S bit set, type 5
    public void H264_type_is_the_low_five_bits_of_the_header(byte header, int type) =>
        Assert.Equal(type, H264NalUnitType.Of(header));

    [Theory]
    [InlineData(0x40, H265NalUnitType.Vps)] // 0x40 0x01: VPS, layer 0, TID 1
    [InlineData(0x42, H265NalUnitType.Sps)]
    [InlineData(0x44, H265NalUnitType.Pps)]
    [InlineData(0x26, 19)] // IDR_W_RADL
    [InlineData(0x2A, H265NalUnitType.CraNut)]
    [InlineData(0x60, H265NalUnitType.Ap)]
    [InlineData(0x62, H265NalUnitType.Fu)]
    [InlineData(0x63, H265NalUnitType.Fu)] // the low bit belongs to nuh_layer_id, not to the type
    [InlineData(0xE2, H265NalUnitType.Fu)] // the top bit is forbidden_zero_bit, not part of the type
    public void H265_type_is_bits_one_to_six_of_the_first_header_byte(byte firstHeaderByte, int type) =>
        Assert.Equal(type, H265NalUnitType.Of(firstHeaderByte));

    [Theory]
    [InlineData(0x93, 19)] // S bit, IDR_W_RADL
    [InlineData(0x53, 19)] // E bit
    [InlineData(0x01, 1)]
    public void H265_fu_header_type_is_its_low_six_bits(byte fuHeader, int type) =>
        Assert.Equal(type, H265NalUnitType.OfFuHeader(fuHeader));
}
