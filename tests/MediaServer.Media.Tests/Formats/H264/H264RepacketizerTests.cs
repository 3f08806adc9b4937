using System.Buffers.Binary;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Media.Tests.Formats.H264;

public class H264RepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80, 0xBF];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    private static byte[] Nal(byte header, int length, int seed = 1)
    {
        var unit = new byte[length];
        unit[0] = header;
        new Random(seed).NextBytes(unit.AsSpan(1));
        return unit;
    }

    /// <summary>Depacketizes what the repacketizer sent, as a browser would.</summary>
    private static List<byte[]> Reassemble(PayloadRecorder sent)
    {
        var units = new NalRecorder();
        var depacketizer = new H264Depacketizer(units);
        for (int i = 0; i < sent.Payloads.Count; i++)
        {
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(sent.Payloads[i], (ushort)i, 3000, sent.Markers[i]));
        }

        return units.Units;
    }

    [Fact]
    public void Payloads_that_fit_pass_through_byte_identical()
    {
        var repacketizer = new H264Repacketizer(1188);
        var sent = new PayloadRecorder();
        byte[] slice = Nal(0x41, 1000);

        Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(slice, true, 3000, sent));

        Assert.Equal([slice], sent.Payloads);
        Assert.Equal([true], sent.Markers);
    }

    [Theory]
    [InlineData(1189, 1188)]
    [InlineData(5000, 1188)]
    [InlineData(20000, 1188)]
    [InlineData(20000, 100)]
    [InlineData(3000, 16)]
    public void Oversize_single_units_become_fu_as_that_reassemble_exactly(int size, int max)
    {
        var repacketizer = new H264Repacketizer(max);
        var sent = new PayloadRecorder();
        byte[] slice = Nal(0x41, size, size);

        repacketizer.Push(slice, true, 3000, sent);

        Assert.All(sent.Payloads, p => Assert.True(p.Length <= max));
        Assert.All(sent.Payloads, p => Assert.Equal(28, p[0] & 0x1F));
        Assert.Equal([.. Enumerable.Repeat(false, sent.Markers.Count - 1), true], sent.Markers);
        Assert.Equal(slice, Assert.Single(Reassemble(sent)));
    }

    [Fact]
    public void Oversize_fu_a_fragments_are_cut_keeping_start_and_end_bits_where_they_belong()
    {
        byte[] slice = Nal(0x65, 4000, 7);
        var camera = new H264Packetizer(1400);
        var cameraPackets = new PayloadRecorder();
        camera.Packetize(slice, cameraPackets, endOfAccessUnit: true);
        var repacketizer = new H264Repacketizer(1188);
        repacketizer.SetParameterSets(Sps, Pps);
        var sent = new PayloadRecorder();

        for (int i = 0; i < cameraPackets.Payloads.Count; i++)
        {
            repacketizer.Push(cameraPackets.Payloads[i], cameraPackets.Markers[i], 3000, sent);
        }

        byte[][] fragments = [.. sent.Payloads.Skip(1)]; // the first is the injected STAP-A
        Assert.All(fragments, p => Assert.True(p.Length <= 1188));
        Assert.Equal(1, fragments.Count(p => (p[1] & 0x80) != 0));
        Assert.Equal(1, fragments.Count(p => (p[1] & 0x40) != 0));
        Assert.True((fragments[0][1] & 0x80) != 0);
        Assert.True((fragments[^1][1] & 0x40) != 0);
        Assert.Equal(1, sent.Markers.Count(m => m));
        Assert.True(sent.Markers[^1]);
        Assert.Equal([Sps, Pps, slice], Reassemble(sent));
    }

    [Fact]
    public void Parameter_sets_go_in_band_once_before_an_idr_that_lacks_them()
    {
        var repacketizer = new H264Repacketizer(1188);
        repacketizer.SetParameterSets(Sps, Pps);
        var sent = new PayloadRecorder();
        byte[] idr = Nal(0x65, 500);
        byte[] secondSlice = Nal(0x65, 400, 2);

        repacketizer.Push(idr, false, 3000, sent);
        repacketizer.Push(secondSlice, true, 3000, sent);
        repacketizer.Push(Nal(0x41, 300), true, 6000, sent);

        Assert.Equal(4, sent.Payloads.Count);
        Assert.Equal(24, sent.Payloads[0][0] & 0x1F); // STAP-A
        Assert.False(sent.Markers[0]);
        Assert.Equal([Sps, Pps, idr, secondSlice, sent.Payloads[3]], Reassemble(sent));
    }

    [Fact]
    public void Nothing_is_injected_when_the_access_unit_carries_its_own_parameter_sets()
    {
        var repacketizer = new H264Repacketizer(1188);
        repacketizer.SetParameterSets([0x67, 1, 2, 3], [0x68, 4]);
        var sent = new PayloadRecorder();
        byte[] idr = Nal(0x65, 500);

        repacketizer.Push(Sps, false, 3000, sent);
        repacketizer.Push(Pps, false, 3000, sent);
        repacketizer.Push(idr, true, 3000, sent);

        Assert.Equal([Sps, Pps, idr], sent.Payloads);
    }

    [Fact]
    public void In_band_parameter_sets_are_remembered_for_later_keyframes()
    {
        var repacketizer = new H264Repacketizer(1188);
        var sent = new PayloadRecorder();
        repacketizer.Push(Sps, false, 3000, sent);
        repacketizer.Push(Pps, false, 3000, sent);
        repacketizer.Push(Nal(0x65, 100), true, 3000, sent);
        sent.Payloads.Clear();

        repacketizer.Push(Nal(0x65, 100, 3), true, 9000, sent);

        Assert.Equal(2, sent.Payloads.Count);
        Assert.Equal([Sps, Pps, sent.Payloads[1]], Reassemble(sent));
    }

    [Fact]
    public void Oversize_stap_a_is_opened_into_its_units_with_the_marker_on_the_last()
    {
        byte[] a = Nal(0x06, 700);
        byte[] b = Nal(0x41, 900, 2);
        var stap = new byte[1 + 2 + a.Length + 2 + b.Length];
        stap[0] = 0x78;
        BinaryPrimitives.WriteUInt16BigEndian(stap.AsSpan(1), (ushort)a.Length);
        a.CopyTo(stap, 3);
        BinaryPrimitives.WriteUInt16BigEndian(stap.AsSpan(3 + a.Length), (ushort)b.Length);
        b.CopyTo(stap, 5 + a.Length);
        var repacketizer = new H264Repacketizer(1188);
        var sent = new PayloadRecorder();

        Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(stap, true, 3000, sent));

        Assert.Equal([a, b], sent.Payloads);
        Assert.Equal([false, true], sent.Markers);
    }

    [Theory]
    [InlineData(new byte[0], RepacketizeResult.DroppedMalformed)]
    [InlineData(new byte[] { 0x7C, 0x85 }, RepacketizeResult.DroppedMalformed)] // FU-A without data
    [InlineData(new byte[] { 0x78, 0x00, 0x09, 0x41 }, RepacketizeResult.DroppedMalformed)] // STAP-A size lies
    [InlineData(new byte[] { 0x79, 0x00, 0x01, 0x41 }, RepacketizeResult.DroppedUnsupported)] // STAP-B
    [InlineData(new byte[] { 0x7D, 0x85, 0x00, 0x00, 0x41 }, RepacketizeResult.DroppedUnsupported)] // FU-B
    public void Malformed_or_unsupported_payloads_are_dropped_with_a_reason(byte[] payload, RepacketizeResult expected)
    {
        var sent = new PayloadRecorder();
        Assert.Equal(expected, new H264Repacketizer(1188).Push(payload, true, 3000, sent));
        Assert.Empty(sent.Payloads);
    }
}
