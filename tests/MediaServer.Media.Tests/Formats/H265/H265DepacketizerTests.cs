using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H265;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests.Formats.H265;

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

    [Fact]
    public void Single_nal_unit_packets_pass_through_rfc7798_4_4_1()
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Ok, new H265Depacketizer(sink).Push([0x02, 0x01, 0xD0, 0x11], 1, 90, true));
        Assert.Equal([0x02, 0x01, 0xD0, 0x11], sink.Units.Single());
        Assert.Equal([90u], sink.AccessUnitEnds);
    }

    [Fact]
    public void A_lost_fu_drops_the_unit_and_the_rest_of_it()
    {
        var sink = new RecordingSink();
        var depacketizer = new H265Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x62, 0x01, 0x93, 1], 65535, 0, false));
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x62, 0x01, 0x13, 2], 0, 0, false)); // wraps
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x62, 0x01, 0x13, 4], 2, 0, false)); // 1 lost
        Assert.Equal(DepacketizeResult.DroppedFragment, depacketizer.Push([0x62, 0x01, 0x53, 5], 3, 0, true));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void Fu_keeps_layer_id_and_tid_from_the_payload_header()
    {
        var sink = new RecordingSink();
        var depacketizer = new H265Depacketizer(sink);
        // Payload header: type 49, LayerId 0b100001 (top bit in byte 0), TID 3.
        depacketizer.Push([0x63, 0x0B, 0x81, 0xAA], 1, 0, false);
        depacketizer.Push([0x63, 0x0B, 0x41, 0xBB], 2, 0, true);
        Assert.Equal([0x03, 0x0B, 0xAA, 0xBB], sink.Units.Single());
    }

    [Theory]
    [InlineData(new byte[] { 0x62, 0x01, 0xB0, 0x00 })] // FU carrying an AP (48)
    [InlineData(new byte[] { 0x62, 0x01, 0xB1, 0x00 })] // FU carrying an FU (49)
    [InlineData(new byte[] { 0x62, 0x01, 0x93 })] // FU without data
    [InlineData(new byte[] { 0x60, 0x01 })] // AP with nothing in it
    [InlineData(new byte[] { 0x60, 0x01, 0x00 })] // AP with half a size field
    public void Malformed_fragments_and_aggregates(byte[] payload)
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Malformed, new H265Depacketizer(sink).Push(payload, 1, 0, false));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void Unspecified_types_are_unsupported_not_malformed() =>
        Assert.Equal(DepacketizeResult.Unsupported, new H265Depacketizer(new RecordingSink()).Push([0x7E, 0x01, 0x00], 1, 0, false)); // type 63

    [Fact]
    public void A_new_unit_before_the_fu_end_reports_the_dropped_partial()
    {
        var sink = new RecordingSink();
        var depacketizer = new H265Depacketizer(sink);
        depacketizer.Push([0x62, 0x01, 0x93, 1], 1, 0, false);
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x02, 0x01, 0xD0], 2, 3000, false));
        Assert.Equal([0x02, 0x01, 0xD0], sink.Units.Single());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("sprop-max-don-diff=0", true)]
    [InlineData("sprop-max-don-diff=2", false)] // DONL fields present
    [InlineData("sprop-max-don-diff=x", false)]
    public void Create_refuses_streams_with_donl(string fmtp, bool expected)
    {
        bool created = H265Depacketizer.TryCreate(FmtpParameters.Parse(fmtp), new RecordingSink(), out H265Depacketizer? d);
        Assert.Equal(expected, created);
        Assert.Equal(expected, d is not null);
    }

    [Fact]
    public void Steady_state_reassembly_does_not_allocate()
    {
        var sink = new CountingSink();
        var depacketizer = new H265Depacketizer(sink);
        byte[] start = new byte[1200];
        byte[] end = new byte[1200];
        start[0] = end[0] = 0x62;
        start[1] = end[1] = 0x01;
        start[2] = 0x93;
        end[2] = 0x53;
        ushort seq = 0;
        depacketizer.Push(start, seq++, 0, false);
        depacketizer.Push(end, seq++, 0, true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            depacketizer.Push(start, seq++, 0, false);
            depacketizer.Push(end, seq++, 0, true);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101, sink.Units);
        Assert.Equal(101L * (2 + (2 * 1197)), sink.Bytes);
    }
}
