using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Tests.Formats.H265;

public class H265RepacketizerTests
{
    // NAL unit headers: type << 1 in the first byte, TID 1 in the second.
    private static readonly byte[] Vps = [0x40, 0x01, 0x0C, 0x01];
    private static readonly byte[] Sps = [0x42, 0x01, 0x01, 0x01, 0x60];
    private static readonly byte[] Pps = [0x44, 0x01, 0xC1, 0x72];

    private static byte[] Nal(int type, int length, int seed = 1)
    {
        var unit = new byte[length];
        new Random(seed).NextBytes(unit);
        unit[0] = (byte)(type << 1);
        unit[1] = 0x01;
        return unit;
    }

    private static List<byte[]> Reassemble(PayloadRecorder sent)
    {
        var units = new NalRecorder();
        var depacketizer = new H265Depacketizer(units);
        for (int i = 0; i < sent.Payloads.Count; i++)
        {
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(sent.Payloads[i], (ushort)i, 3000, sent.Markers[i]));
        }

        return units.Units;
    }

    [Fact]
    public void Oversize_irap_is_cut_into_fus_after_injected_parameter_sets()
    {
        var repacketizer = new H265Repacketizer(1188);
        repacketizer.SetParameterSets(Vps, Sps, Pps);
        var sent = new PayloadRecorder();
        byte[] idr = Nal(19, 5000);

        Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(idr, true, 3000, sent));

        Assert.Equal(48, (sent.Payloads[0][0] >> 1) & 0x3F); // AP with VPS, SPS, PPS
        Assert.All(sent.Payloads.Skip(1), p => Assert.Equal(49, (p[0] >> 1) & 0x3F));
        Assert.All(sent.Payloads, p => Assert.True(p.Length <= 1188));
        Assert.Equal([Vps, Sps, Pps, idr], Reassemble(sent));
        Assert.True(sent.Markers[^1]);
        Assert.Equal(1, sent.Markers.Count(m => m));
    }

    [Fact]
    public void Fitting_payloads_pass_through_and_non_irap_pictures_get_no_parameter_sets()
    {
        var repacketizer = new H265Repacketizer(1188);
        repacketizer.SetParameterSets(Vps, Sps, Pps);
        var sent = new PayloadRecorder();
        byte[] trail = Nal(1, 900);

        repacketizer.Push(trail, true, 3000, sent);

        Assert.Equal([trail], sent.Payloads);
    }

    [Fact]
    public void Oversize_fu_fragments_are_cut_keeping_start_and_end()
    {
        byte[] idr = Nal(19, 6000, 4);
        var first = new PayloadRecorder();
        new H265Repacketizer(1400).Push(idr, true, 3000, first); // the camera's own FUs of 1400 bytes
        var repacketizer = new H265Repacketizer(1000);
        var sent = new PayloadRecorder();

        for (int i = 0; i < first.Payloads.Count; i++)
        {
            repacketizer.Push(first.Payloads[i], first.Markers[i], 3000, sent);
        }

        Assert.All(sent.Payloads, p => Assert.True(p.Length <= 1000));
        Assert.Equal(idr, Assert.Single(Reassemble(sent)));
    }

    [Theory]
    [InlineData(new byte[] { 0x62, 0x01 }, RepacketizeResult.DroppedMalformed)]
    [InlineData(new byte[] { 0x62, 0x01, 0x93 }, RepacketizeResult.DroppedMalformed)] // FU without data
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x09, 0x26 }, RepacketizeResult.DroppedMalformed)] // AP size lies
    [InlineData(new byte[] { 0x64, 0x01, 0x00, 0x00 }, RepacketizeResult.DroppedUnsupported)] // PACI (50)
    public void Malformed_or_unsupported_payloads_are_dropped(byte[] payload, RepacketizeResult expected)
    {
        var sent = new PayloadRecorder();
        Assert.Equal(expected, new H265Repacketizer(1188).Push(payload, true, 3000, sent));
        Assert.Empty(sent.Payloads);
    }
}
