using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Media.Tests.Formats.H264;

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

    [Fact]
    public void A_new_unit_before_the_fu_a_end_reports_the_dropped_partial_and_still_delivers()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x7C, 0x85, 1, 2], 1, 0, false));
        // The end fragment (seq 2) was lost; the next access unit starts with a single NAL unit.
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x41, 0x9A], 3, 3000, false));
        Assert.Equal([0x41, 0x9A], sink.Units.Single());

        // A new FU-A start also abandons an open one.
        depacketizer.Push([0x7C, 0x85, 1], 4, 6000, false);
        Assert.Equal(DepacketizeResult.DroppedIncompleteUnit, depacketizer.Push([0x7C, 0x81, 9], 6, 9000, false));
        Assert.Equal(DepacketizeResult.Ok, depacketizer.Push([0x7C, 0x41, 10], 7, 9000, true));
        Assert.Equal([0x61, 9, 10], sink.Units[^1]);
    }

    [Fact]
    public void Fu_a_rebuilds_f_and_nri_from_the_indicator_rfc6184_5_8()
    {
        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        // FU indicator 0x5C: F=0, NRI=2, type 28; FU header 0x85/0x45: S/E, type 5.
        depacketizer.Push([0x5C, 0x85, 0xAA], 100, 0, false);
        depacketizer.Push([0x5C, 0x05, 0xBB], 101, 0, false);
        depacketizer.Push([0x5C, 0x45, 0xCC], 102, 0, true);
        Assert.Equal([0x45, 0xAA, 0xBB, 0xCC], sink.Units.Single());
    }

    [Theory]
    [InlineData(0x98)] // FU-A claiming to carry a STAP-A
    [InlineData(0x9C)] // FU-A claiming to carry an FU-A
    [InlineData(0x80)] // FU-A carrying type 0
    public void Fu_a_of_an_aggregate_or_fragment_is_malformed(byte fuHeader)
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Malformed, new H264Depacketizer(sink).Push([0x7C, fuHeader, 1], 1, 0, false));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void A_stap_a_with_one_bad_size_emits_none_of_its_units()
    {
        var sink = new RecordingSink();
        // First unit fine, second claims 0x0100 bytes.
        byte[] stapA = [0x18, 0x00, 0x02, 0x67, 0x42, 0x01, 0x00, 0x68];
        Assert.Equal(DepacketizeResult.Malformed, new H264Depacketizer(sink).Push(stapA, 1, 0, true));
        Assert.Empty(sink.Units);
        Assert.Equal([0u], sink.AccessUnitEnds); // the marker still ends the access unit
    }

    [Fact]
    public void Stap_a_built_by_hand_round_trips_sps_pps_idr()
    {
        byte[] sps = [0x67, 0x42, 0x00, 0x29, 0xE2, 0x90];
        byte[] pps = [0x68, 0xCE, 0x3C, 0x80];
        byte[] idr = [0x65, 0x88, 0x84, 0x00];
        var stapA = new List<byte> { 0x78 }; // F=0, NRI=3, type 24
        foreach (byte[] nal in new[] { sps, pps, idr })
        {
            stapA.Add(0);
            stapA.Add((byte)nal.Length);
            stapA.AddRange(nal);
        }

        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Ok, new H264Depacketizer(sink).Push(stapA.ToArray(), 7, 1234, true));
        Assert.Equal([sps, pps, idr], sink.Units);
        Assert.Equal([1234u, 1234u, 1234u], sink.Timestamps);
    }

    [Fact]
    public void Steady_state_reassembly_does_not_allocate()
    {
        var sink = new CountingSink();
        var depacketizer = new H264Depacketizer(sink);
        var packetizer = new H264Packetizer(1200);
        byte[] nal = new byte[10_000];
        nal[0] = 0x65;
        byte[][] payloads = new byte[packetizer.PayloadCount(nal.Length)][];
        for (int i = 0; i < payloads.Length; i++)
        {
            payloads[i] = new byte[1200];
            payloads[i] = payloads[i][..packetizer.WritePayload(nal, i, payloads[i])];
        }

        ushort seq = 0;
        void Frame()
        {
            for (int i = 0; i < payloads.Length; i++)
            {
                depacketizer.Push(payloads[i], seq++, 0, i == payloads.Length - 1);
            }
        }

        Frame(); // warm: the reassembly buffer grows once
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Frame();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101, sink.Units);
        Assert.Equal(101L * nal.Length, sink.Bytes);
    }

    [Fact]
    public void Packetize_hands_fragments_to_a_sink_with_the_marker_on_the_last_one()
    {
        byte[] nal = new byte[3000];
        nal[0] = 0x41;
        new Random(7).NextBytes(nal.AsSpan(1));
        var payloads = new PayloadRecorder();
        var packetizer = new H264Packetizer(1000);
        Assert.Equal(4, packetizer.Packetize(nal, payloads, endOfAccessUnit: true));
        Assert.Equal([false, false, false, true], payloads.Markers);
        Assert.All(payloads.Payloads, p => Assert.InRange(p.Length, 3, 1000));
        Assert.Equal(0x80 | 0x01, payloads.Payloads[0][1]); // S bit, type 1
        Assert.Equal(0x40 | 0x01, payloads.Payloads[^1][1]); // E bit, type 1

        var sink = new RecordingSink();
        var depacketizer = new H264Depacketizer(sink);
        for (int i = 0; i < payloads.Payloads.Count; i++)
        {
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(payloads.Payloads[i], (ushort)i, 0, payloads.Markers[i]));
        }

        Assert.Equal(nal, sink.Units.Single());
        Assert.Equal([0u], sink.AccessUnitEnds);

        payloads.Payloads.Clear();
        payloads.Markers.Clear();
        Assert.Equal(1, packetizer.Packetize([0x68, 0xCE], payloads, endOfAccessUnit: false));
        Assert.Equal([0x68, 0xCE], payloads.Payloads.Single());
        Assert.Equal([false], payloads.Markers);
    }

    [Fact]
    public void Packetizer_answers_nothing_for_empty_units_or_indexes_past_the_end()
    {
        var packetizer = new H264Packetizer(1200);
        byte[] buffer = new byte[1200];
        Assert.Equal(0, packetizer.PayloadCount(0));
        Assert.Equal(0, packetizer.WritePayload([], 0, buffer));
        Assert.Equal(0, packetizer.WritePayload([0x41, 1], 1, buffer));
        Assert.Equal(0, packetizer.WritePayload([0x41, 1], -1, buffer));
        Assert.Equal(0, packetizer.Packetize([], new PayloadRecorder(), true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new H264Packetizer(2));
    }

    [Fact]
    public void Fu_a_fragments_fill_the_payload_size_exactly()
    {
        // 1 header byte + 2 * 1198 bytes: exactly two full FU-A payloads of 1200.
        byte[] nal = new byte[1 + (2 * 1198)];
        nal[0] = 0x65;
        var packetizer = new H264Packetizer(1200);
        Assert.Equal(2, packetizer.PayloadCount(nal.Length));
        byte[] buffer = new byte[1200];
        Assert.Equal(1200, packetizer.WritePayload(nal, 0, buffer));
        Assert.Equal(1200, packetizer.WritePayload(nal, 1, buffer));
        Assert.Equal(3, packetizer.PayloadCount(nal.Length + 1));
    }
}
