using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Media.Tests;

public class H264DepacketizerTests
{
    [Fact]
    public void Single_nal_unit_packets_pass_through_and_the_marker_ends_the_access_unit()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x41, 0x9A, 0x01], 1, 3000, marker: true));
        Assert.Equal([0x41, 0x9A, 0x01], sink.Units.Single());
        Assert.Equal([3000u], sink.AccessUnitEnds);
    }

    [Fact]
    public void Stap_a_yields_each_aggregated_unit_rfc6184_5_7_1()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        byte[] stapA = [0x78, 0x00, 0x03, 0x67, 0x42, 0x00, 0x00, 0x02, 0x68, 0xCE, 0x00, 0x02, 0x65, 0x88];
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(stapA, 1, 0, marker: false));
        Assert.Equal(3, sink.Units.Count);
        Assert.Equal([0x67, 0x42, 0x00], sink.Units[0]);
        Assert.Equal([0x68, 0xCE], sink.Units[1]);
        Assert.Equal([0x65, 0x88], sink.Units[2]);
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0x00, 0x09, 0x67 })] // size beyond the packet
    [InlineData(new byte[] { 0x78, 0x00, 0x00 })] // zero-size unit
    [InlineData(new byte[] { 0x78, 0x00 })] // truncated size field
    [InlineData(new byte[] { 0x78 })] // nothing aggregated
    [InlineData(new byte[] { 0x7C, 0x85 })] // FU-A without data
    [InlineData(new byte[] { 0x00, 0x01 })] // reserved type 0
    public void Payloads_that_lie_are_malformed_and_emit_nothing(byte[] payload)
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Malformed, new H264Depacketizer(sink).Push(payload, 1, 0, false));
        Assert.Empty(sink.Units);
    }

    [Theory]
    [InlineData(0x19)] // STAP-B
    [InlineData(0x1A)] // MTAP16
    [InlineData(0x1D)] // FU-B
    public void Interleaved_mode_packetizations_are_unsupported(byte type) =>
        Assert.Equal(DepacketizeResult.Unsupported, new H264Depacketizer(new RecordingSink()).Push([type, 0, 1, 2], 1, 0, false));

    [Fact]
    public void Fu_a_fragments_from_the_packetizer_reassemble_to_the_original_unit()
    {
        byte[] nal = new byte[5000];
        nal[0] = 0x65;
        for (int i = 1; i < nal.Length; i++)
        {
            nal[i] = (byte)(i * 7);
        }

        var packetizer = new H264Packetizer(1200);
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        int count = packetizer.PayloadCount(nal.Length);
        Assert.Equal(5, count);
        byte[] buffer = new byte[1200];
        for (int i = 0; i < count; i++)
        {
            int length = packetizer.WritePayload(nal, i, buffer);
            Assert.InRange(length, 3, 1200);
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(buffer.AsSpan(0, length), (ushort)(65534 + i), 9000, i == count - 1));
        }

        Assert.Equal(nal, sink.Units.Single());
        Assert.Equal([9000u], sink.AccessUnitEnds);
    }

    [Fact]
    public void Small_units_are_not_fragmented()
    {
        var packetizer = new H264Packetizer(1200);
        Assert.Equal(1, packetizer.PayloadCount(1200));
        byte[] buffer = new byte[1200];
        Assert.Equal(3, packetizer.WritePayload([0x41, 1, 2], 0, buffer));
        Assert.Equal(2, packetizer.PayloadCount(1201));
    }

    [Fact]
    public void A_lost_fragment_drops_the_unit_and_the_next_one_arrives_intact()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        depacketizer.Push([0x7C, 0x85, 1, 2], 10, 0, false); // start
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x7C, 0x05, 3, 4], 12, 0, false)); // 11 lost
        Assert.Equal(DepacketizeResult.DroppedFragment, depacketizer.Push([0x7C, 0x45, 5, 6], 13, 0, true)); // end of the broken unit
        Assert.Empty(sink.Units);

        depacketizer.Push([0x7C, 0x81, 7], 14, 3000, false);
        depacketizer.Push([0x7C, 0x41, 8], 15, 3000, true);
        Assert.Equal([0x61, 7, 8], sink.Units.Single());
    }

    [Fact]
    public void Units_larger_than_the_limit_are_dropped()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink, maxNalUnitSize: 8);
        depacketizer.Push([0x7C, 0x85, 1, 2, 3, 4], 1, 0, false);
        Assert.Equal(DepacketizeResult.UnitTooLarge, depacketizer.Push([0x7C, 0x45, 5, 6, 7, 8], 2, 0, true));
        Assert.Empty(sink.Units);
    }
}
