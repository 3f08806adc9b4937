using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;

namespace MediaServer.Fuzzing.Tests.Formats;

/// <summary>
/// AAC over RFC 3640 (AAC-hbr: 13-bit AU-size, 3-bit AU-Index): packets of whole AUs come apart
/// into those AUs one frame apart in time; an AU fragmented over packets is reassembled, and lost
/// if a fragment is; any byte sequence is a typed result.
/// </summary>
public class AacProperties
{
    private const int SamplesPerAccessUnit = 1024;

    private static readonly List<byte[]> Seeds = AacTarget.Target.Seeds().ToList();

    /// <summary>AU-headers-length, one 16-bit AU-header per AU (size &lt;&lt; 3, index 0), then the AUs.</summary>
    private static byte[] Packet(IReadOnlyList<byte[]> units, int? declaredSize = null)
    {
        var packet = new List<byte> { (byte)((units.Count * 16) >> 8), (byte)(units.Count * 16) };
        foreach (byte[] unit in units)
        {
            int size = declaredSize ?? unit.Length;
            packet.Add((byte)(size >> 5));
            packet.Add((byte)(size << 3));
        }

        foreach (byte[] unit in units)
        {
            packet.AddRange(unit);
        }

        return [.. packet];
    }

    [Fact]
    public void A_packet_of_whole_access_units_comes_apart_into_them_one_frame_apart() =>
        Gen.Select(Gen.Byte.Array[1, 200].Array[1, 8], Gen.UInt).Sample((units, timestamp) =>
        {
            var recorder = new Recorder();
            var depacketizer = new Mpeg4GenericDepacketizer(recorder);
            Assert.Equal(DepacketizeResult.Ok, depacketizer.Push(Packet(units), timestamp));
            Assert.Equal(units, recorder.Units);
            Assert.Equal(Enumerable.Range(0, units.Length).Select(i => timestamp + (uint)(i * SamplesPerAccessUnit)), recorder.Timestamps);
        }, iter: Budget.Text);

    [Fact]
    public void A_fragmented_access_unit_is_reassembled_and_lost_with_any_fragment() =>
        Gen.Select(Gen.Byte.Array[50, 3000], Gen.Int[2, 6], Gen.Int[-1, 5]).Sample((unit, pieces, lost) =>
        {
            int chunk = (unit.Length + pieces - 1) / pieces;
            var recorder = new Recorder();
            var depacketizer = new Mpeg4GenericDepacketizer(recorder);
            int count = 0;
            for (int offset = 0, i = 0; offset < unit.Length; offset += chunk, i++)
            {
                byte[] piece = unit[offset..Math.Min(unit.Length, offset + chunk)];
                bool last = offset + chunk >= unit.Length;
                if (i != lost)
                {
                    depacketizer.Push(Packet([piece], unit.Length), (ushort)(100 + i), 48000, last);
                }

                count++;
            }

            if (lost < 0 || lost >= count)
            {
                Assert.Equal([unit], recorder.Units);
            }
            else
            {
                Assert.Empty(recorder.Units);
            }
        }, iter: Budget.Text);

    [Fact]
    public void Arbitrary_payload_sequences_give_typed_results_and_bounded_units() =>
        Gen.Byte.Array[0, 600].Sample(bytes => AacTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_packets_give_typed_results_and_bounded_units() =>
        Mutations.Bytes(Seeds).Sample(bytes => AacTarget.Run(bytes), iter: Budget.Cheap);
}
