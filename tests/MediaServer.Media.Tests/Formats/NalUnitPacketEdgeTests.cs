using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests.Formats;

/// <summary>Where the shared NAL-unit code treats H.264 and H.265 differently on short or odd payloads.</summary>
public sealed class NalUnitPacketEdgeTests
{
    [Fact]
    public void H264_empty_payload_leaves_the_open_fragment_to_the_sequence_check()
    {
        var sink = new NalRecorder();
        var depacketizer = new H264Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x7C, 0x85, 0x01], 1, 0, false));
        Assert.Equal(DepacketizeResult.Malformed, depacketizer.Push([], 2, 0, false));
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x7C, 0x45, 0x02], 3, 0, true));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void H264_empty_payload_with_a_repeated_sequence_number_does_not_break_the_unit()
    {
        var sink = new NalRecorder();
        var depacketizer = new H264Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x7C, 0x85, 0x01], 1, 0, false));
        Assert.Equal(DepacketizeResult.Malformed, depacketizer.Push([], 1, 0, false));
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x7C, 0x45, 0x02], 2, 0, true));
        Assert.Equal([0x65, 0x01, 0x02], sink.Units.Single());
    }

    [Fact]
    public void H265_short_payload_abandons_the_open_fragment()
    {
        var sink = new NalRecorder();
        var depacketizer = new H265Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x62, 0x01, 0x93, 0x01], 1, 0, false));
        Assert.Equal(DepacketizeResult.Malformed, depacketizer.Push([0x26, 0x01], 1, 0, false));
        Assert.Equal(DepacketizeResult.DroppedFragment, depacketizer.Push([0x62, 0x01, 0x53, 0x02], 2, 0, true));
        Assert.Empty(sink.Units);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 })]
    [InlineData(new byte[] { 0x1E, 0x01 })]
    [InlineData(new byte[] { 0x1F, 0x01 })]
    [InlineData(new byte[] { 0x19, 0x00, 0x01 })] // STAP-B
    [InlineData(new byte[] { 0x1D, 0x85, 0x01 })] // FU-B
    public void H264_repacketizer_drops_types_outside_mode_one_as_unsupported(byte[] payload)
    {
        var sent = new PayloadRecorder();
        Assert.Equal(RepacketizeResult.DroppedUnsupported, new H264Repacketizer(100).Push(payload, true, 0, sent));
        Assert.Empty(sent.Payloads);
    }

    [Fact]
    public void H264_repacketizer_sends_a_bare_header_and_h265_refuses_one()
    {
        var sent = new PayloadRecorder();
        Assert.Equal(RepacketizeResult.Sent, new H264Repacketizer(100).Push([0x0B], true, 0, sent)); // end of stream
        Assert.Equal(RepacketizeResult.DroppedMalformed, new H264Repacketizer(100).Push([], true, 0, sent));
        Assert.Equal(RepacketizeResult.DroppedMalformed, new H265Repacketizer(100).Push([0x4A, 0x01], true, 0, sent));
        Assert.Equal([[0x0B]], sent.Payloads);
    }

    [Theory]
    [InlineData(new byte[] { 0x7C, 0x85 })] // FU-A without data
    [InlineData(new byte[] { 0x62, 0x01, 0x93 })] // FU without data
    public void Repacketizers_drop_a_fragment_without_data(byte[] payload)
    {
        var sent = new PayloadRecorder();
        TrackRepacketizer repacketizer = payload[0] == 0x7C ? new H264Repacketizer(100) : new H265Repacketizer(100);
        Assert.Equal(RepacketizeResult.DroppedMalformed, repacketizer.Push(payload, true, 0, sent));
        Assert.Empty(sent.Payloads);
    }
}
