using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests.Formats;

/// <summary>
/// Regressions found by the property tests (tests/MediaServer.Fuzzing.Tests): parameter sets too
/// big to aggregate were sent whole even when one alone exceeded the payload size, so egress
/// dropped them and the browser never got them.
/// </summary>
public class RepacketizerParameterSetSizeTests
{
    private const int MaxPayload = 32;

    private static byte[] Unit(byte[] header, int length)
    {
        byte[] unit = new byte[length];
        header.CopyTo(unit, 0);
        for (int i = header.Length; i < length; i++)
        {
            unit[i] = (byte)(i * 13);
        }

        return unit;
    }

    [Fact]
    public void H264_parameter_sets_larger_than_a_payload_go_in_fu_a_fragments_before_the_idr()
    {
        byte[] sps = Unit([0x67, 0x42, 0xC0, 0x1E], 80);
        byte[] pps = Unit([0x68], 4);
        byte[] idr = Unit([0x65], 20);
        var repacketizer = new H264Repacketizer(MaxPayload);
        repacketizer.SetParameterSets(sps, pps);
        var sent = new PayloadRecorder();

        Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(idr, true, 3000, sent));

        Assert.All(sent.Payloads, p => Assert.InRange(p.Length, 1, MaxPayload));
        var units = new NalRecorder();
        var depacketizer = new H264Depacketizer(units);
        for (int i = 0; i < sent.Payloads.Count; i++)
        {
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(sent.Payloads[i], (ushort)i, 3000, sent.Markers[i]));
        }

        Assert.Equal([sps, pps, idr], units.Units);
    }

    [Fact]
    public void H265_parameter_sets_larger_than_a_payload_go_in_fus_before_the_irap_picture()
    {
        byte[] vps = Unit([0x40, 0x01], 10);
        byte[] sps = Unit([0x42, 0x01], 90);
        byte[] pps = Unit([0x44, 0x01], 6);
        byte[] idr = Unit([0x26, 0x01], 20); // IDR_W_RADL (type 19)
        var repacketizer = new H265Repacketizer(MaxPayload);
        repacketizer.SetParameterSets(vps, sps, pps);
        var sent = new PayloadRecorder();

        Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(idr, true, 3000, sent));

        Assert.All(sent.Payloads, p => Assert.InRange(p.Length, 1, MaxPayload));
        var units = new NalRecorder();
        var depacketizer = new H265Depacketizer(units);
        for (int i = 0; i < sent.Payloads.Count; i++)
        {
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(sent.Payloads[i], (ushort)i, 3000, sent.Markers[i]));
        }

        Assert.Equal([vps, sps, pps, idr], units.Units);
    }
}
