using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Fuzzing.Tests.Formats;

/// <summary>
/// H.264 over RTP (RFC 6184): what the packetizer cuts, the depacketizer puts back together; a
/// lost fragment costs its NAL unit but never yields a corrupt one; the WebRTC repacketizer keeps
/// every payload within the packet size and the units intact; another track's garbage changes
/// nothing; and any byte sequence is a typed result.
/// </summary>
public class H264Properties
{
    private static readonly List<byte[]> Seeds = H264Target.Target.Seeds().ToList();

    /// <summary>NAL units without the types that make the repacketizer add parameter sets (IDR, SPS, PPS).</summary>
    private static readonly Gen<byte[]> NalUnits =
        Gen.Select(Gen.OneOf(1, 2, 3, 4, 6, 9, 10, 11, 12, 13, 19, 20), Gen.Int[0, 3], Gen.Byte.Array[0, 1200],
            (type, nri, body) => (byte[])[(byte)((nri << 5) | type), .. body]);

    private static List<(byte[] Payload, bool Marker)> Packetize(IEnumerable<byte[]> units, int maxPayloadSize)
    {
        var packetizer = new H264Packetizer(maxPayloadSize);
        var recorder = new Recorder();
        foreach (byte[] unit in units)
        {
            packetizer.Packetize(unit, recorder, endOfAccessUnit: true);
        }

        return recorder.Payloads;
    }

    private static List<byte[]> Depacketize(IEnumerable<byte[]> payloads, ushort firstSequenceNumber = 65000)
    {
        var recorder = new Recorder();
        var depacketizer = new H264Depacketizer(recorder);
        ushort sequenceNumber = firstSequenceNumber;
        foreach (byte[] payload in payloads)
        {
            depacketizer.Push(payload, sequenceNumber++, 90000, marker: false);
        }

        return recorder.Units;
    }

    [Fact]
    public void The_depacketizer_reassembles_what_the_packetizer_cut() =>
        Gen.Select(NalUnits.Array[1, 4], Gen.Int[3, 1500], Gen.UShort).Sample((units, mtu, firstSequenceNumber) =>
        {
            List<(byte[] Payload, bool Marker)> payloads = Packetize(units, mtu);
            Assert.All(payloads, p => Assert.InRange(p.Payload.Length, 1, mtu));
            Assert.Equal(units, Depacketize(payloads.Select(p => p.Payload), firstSequenceNumber));
        }, iter: Budget.Text);

    [Fact]
    public void A_lost_fragment_costs_its_unit_and_never_yields_a_corrupt_one() =>
        Gen.Select(NalUnits.Array[1, 4], Gen.Int[3, 400]).SelectMany((units, mtu) =>
            Gen.Int[0, Packetize(units, mtu).Count - 1].Select(lost => (units, mtu, lost)))
        .Sample(t =>
        {
            List<(byte[] Payload, bool Marker)> payloads = Packetize(t.units, t.mtu);
            var recorder = new Recorder();
            var depacketizer = new H264Depacketizer(recorder);
            for (int i = 0; i < payloads.Count; i++)
            {
                if (i != t.lost)
                {
                    depacketizer.Push(payloads[i].Payload, (ushort)i, 90000, marker: false);
                }
            }

            // Every unit that comes out is one that went in, whole; exactly one went missing.
            Assert.All(recorder.Units, unit => Assert.Contains(t.units, u => u.AsSpan().SequenceEqual(unit)));
            Assert.Equal(t.units.Length - 1, recorder.Units.Count);
        }, iter: Budget.Text);

    [Fact]
    public void The_repacketizer_keeps_payloads_within_the_packet_size_and_units_intact() =>
        Gen.Select(NalUnits.Array[1, 4], Gen.Int[8, 1500], Gen.Int[16, 1200]).Sample((units, cameraMtu, browserMtu) =>
        {
            List<(byte[] Payload, bool Marker)> camera = Packetize(units, cameraMtu);
            var repacketizer = new H264Repacketizer(browserMtu);
            var browser = new Recorder();
            foreach ((byte[] payload, bool marker) in camera)
            {
                Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(payload, marker, 90000, browser));
            }

            Assert.All(browser.Payloads, p => Assert.InRange(p.Payload.Length, 1, browserMtu));
            Assert.Equal(units, Depacketize(browser.Payloads.Select(p => p.Payload)));
        }, iter: Budget.Text);

    [Fact]
    public void Another_tracks_garbage_does_not_change_what_this_track_reassembles() =>
        Gen.Select(NalUnits.Array[1, 4], Gen.Int[3, 300], Gen.Byte.Array[0, 40].Array[1, 20]).Sample((units, mtu, garbage) =>
        {
            List<(byte[] Payload, bool Marker)> payloads = Packetize(units, mtu);
            var honest = new Recorder();
            var hostile = new Recorder();
            var honestTrack = new H264Depacketizer(honest);
            var hostileTrack = new H264Depacketizer(hostile);
            for (int i = 0; i < payloads.Count; i++)
            {
                hostileTrack.Push(garbage[i % garbage.Length], (ushort)(i * 7), 1, i % 2 == 0);
                honestTrack.Push(payloads[i].Payload, (ushort)i, 90000, payloads[i].Marker);
            }

            Assert.Equal(units, honest.Units);
        }, iter: Budget.Text);

    [Fact]
    public void Arbitrary_payload_sequences_give_typed_results_and_bounded_units() =>
        Gen.Byte.Array[0, 600].Sample(bytes => H264Target.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_camera_streams_give_typed_results_and_bounded_units() =>
        Mutations.Bytes(Seeds).Sample(bytes => H264Target.Run(bytes), iter: Budget.Cheap);
}
