using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Fuzzing.Tests.Formats;

/// <summary>
/// H.265 over RTP (RFC 7798): FUs and APs built from the RFC come apart into the units they
/// carry, a lost FU never yields a corrupt unit, the repacketizer stays within its packet size,
/// and any byte sequence is a typed result.
/// </summary>
public class H265Properties
{
    private static readonly List<byte[]> Seeds = H265Target.Target.Seeds().ToList();

    private static List<byte[]> Depacketize(IEnumerable<byte[]> payloads, Func<int, bool>? lose = null)
    {
        var recorder = new Recorder();
        var depacketizer = new H265Depacketizer(recorder);
        int i = 0;
        foreach (byte[] payload in payloads)
        {
            if (lose?.Invoke(i) != true)
            {
                depacketizer.Push(payload, (ushort)(60000 + i), 90000, marker: false);
            }

            i++;
        }

        return recorder.Units;
    }

    [Fact]
    public void Fragmentation_units_and_aggregation_packets_come_apart_into_their_units() =>
        Gen.Select(H265Packets.Units(1500).Array[1, 4], H265Packets.Units(40).Array[1, 4], Gen.Int[4, 1400]).Sample((units, small, mtu) =>
        {
            var payloads = new List<byte[]> { H265Packets.Aggregate(small) };
            payloads.AddRange(units.SelectMany(u => H265Packets.Packetize(u, mtu)));
            Assert.Equal([.. small, .. units], Depacketize(payloads));
        }, iter: Budget.Text);

    [Fact]
    public void A_lost_fragment_costs_its_unit_and_never_yields_a_corrupt_one() =>
        Gen.Select(H265Packets.Units(1500).Array[1, 4], Gen.Int[4, 400]).SelectMany((units, mtu) =>
            Gen.Int[0, units.Sum(u => H265Packets.Packetize(u, mtu).Count()) - 1].Select(lost => (units, mtu, lost)))
        .Sample(t =>
        {
            List<byte[]> received = Depacketize(t.units.SelectMany(u => H265Packets.Packetize(u, t.mtu)), i => i == t.lost);
            Assert.All(received, unit => Assert.Contains(t.units, u => u.AsSpan().SequenceEqual(unit)));
            Assert.Equal(t.units.Length - 1, received.Count);
        }, iter: Budget.Text);

    [Fact]
    public void The_repacketizer_keeps_payloads_within_the_packet_size_and_units_intact() =>
        Gen.Select(H265Packets.Units(1500).Array[1, 4].Where(us => us.All(u => H265Packets.Type(u) is not (>= 16 and <= 21))),
                Gen.Int[8, 1400], Gen.Int[16, 1200])
            .Sample((units, cameraMtu, browserMtu) =>
            {
                var repacketizer = new H265Repacketizer(browserMtu);
                var browser = new Recorder();
                foreach (byte[] payload in units.SelectMany(u => H265Packets.Packetize(u, cameraMtu)))
                {
                    Assert.Equal(RepacketizeResult.Sent, repacketizer.Push(payload, false, 90000, browser));
                }

                Assert.All(browser.Payloads, p => Assert.InRange(p.Payload.Length, 1, browserMtu));
                Assert.Equal(units, Depacketize(browser.Payloads.Select(p => p.Payload)));
            }, iter: Budget.Text);

    [Fact]
    public void Arbitrary_payload_sequences_give_typed_results_and_bounded_units() =>
        Gen.Byte.Array[0, 600].Sample(bytes => H265Target.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_camera_streams_give_typed_results_and_bounded_units() =>
        Mutations.Bytes(Seeds).Sample(bytes => H265Target.Run(bytes), iter: Budget.Cheap);
}
