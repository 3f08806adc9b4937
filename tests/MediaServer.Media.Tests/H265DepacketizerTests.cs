using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests;

public class H265DepacketizerTests
{
    [Fact]
    public void Aggregation_packet_yields_each_unit_rfc7798_4_4_2()
    {
        var sink = new RecordingSink();
        byte[] ap = [0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0C, 0x00, 0x03, 0x42, 0x01, 0x01];
        Assert.Equal(DepacketizeResult.Ok, new H265Depacketizer(sink).Push(ap, 1, 0, false));
        Assert.Equal([[0x40, 0x01, 0x0C], [0x42, 0x01, 0x01]], sink.Units);
    }

    [Fact]
    public void Fragmentation_units_rebuild_the_nal_header_rfc7798_4_4_3()
    {
        var sink = new RecordingSink();
        var depacketizer = new H265Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x62, 0x01, 0x93, 0xAA, 0xBB], 1, 0, false));
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x62, 0x01, 0x53, 0xCC], 2, 0, true));
        Assert.Equal([0x26, 0x01, 0xAA, 0xBB, 0xCC], sink.Units.Single());
        Assert.Equal([0u], sink.AccessUnitEnds);
    }

    [Theory]
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x09, 0x40 }, DepacketizeResult.Malformed)]
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x01, 0x40 }, DepacketizeResult.Malformed)]
    [InlineData(new byte[] { 0x64, 0x01, 0x00, 0x00 }, DepacketizeResult.Unsupported)] // PACI
    [InlineData(new byte[] { 0x80, 0x01, 0x00 }, DepacketizeResult.Malformed)] // forbidden bit
    [InlineData(new byte[] { 0x62, 0x01, 0x13, 0x00 }, DepacketizeResult.DroppedFragment)]
    public void Bad_payloads_are_typed(byte[] payload, DepacketizeResult expected) =>
        Assert.Equal(expected, new H265Depacketizer(new RecordingSink()).Push(payload, 1, 0, false));
}
