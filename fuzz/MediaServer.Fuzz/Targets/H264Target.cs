using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// A camera's H.264 RTP payloads (see <see cref="PacketSequence"/>): the depacketizer (single NAL
/// unit, STAP-A, FU-A reassembly with losses), the WebRTC repacketizer, keyframe detection and the
/// parameter-set tracker. No unit may be empty or over the limit, no payload over the packet size.
/// </summary>
public static class H264Target
{
    private const int MaxNalUnitSize = 8 * 1024;
    private const int MaxPayloadSize = 100;

    public static FuzzTarget Target { get; } = new(
        "h264",
        "H264Depacketizer, H264Repacketizer, KeyframeDetector, ParameterSetTracker (H.264)",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        var units = new CheckingSink(MaxNalUnitSize);
        var payloads = new CheckingSink(MaxPayloadSize);
        var depacketizer = new H264Depacketizer(units, MaxNalUnitSize);
        var repacketizer = new H264Repacketizer(MaxPayloadSize);
        repacketizer.SetParameterSets([0x67, 0x42, 0xC0, 0x1F], [0x68, 0xCE, 0x3C, 0x80]);
        var tracker = new ParameterSetTracker();
        var sequence = new PacketSequence(data);
        while (sequence.TryReadNext(out ReadOnlySpan<byte> payload, out ushort sequenceNumber, out uint timestamp, out bool marker))
        {
            DepacketizeResult result = depacketizer.Push(payload, sequenceNumber, timestamp, marker);
            InvariantViolationException.Unless(Enum.IsDefined(result), $"depacketize result {result}");
            RepacketizeResult repacketized = repacketizer.Push(payload, marker, timestamp, payloads);
            InvariantViolationException.Unless(Enum.IsDefined(repacketized), $"repacketize result {repacketized}");
            _ = KeyframeDetector.ContainsRandomAccess(CodecKind.H264, payload);
            tracker.Observe(CodecKind.H264, payload);
        }
    }

    private static IEnumerable<byte[]> Seeds()
    {
        byte[] sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8];
        byte[] pps = [0x68, 0xCE, 0x3C, 0x80];
        byte[] idr = [0x65, .. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];
        byte[] slice = [0x41, 0x9A, 0x02, 0x04, 0x08];

        // RFC 6184 §5.7.1: SPS and PPS in one STAP-A, then an IDR in FU-A fragments (§5.8), then a P slice.
        byte[] stapA = [0x18, 0x00, (byte)sps.Length, .. sps, 0x00, (byte)pps.Length, .. pps];
        var packets = new List<(byte[], bool, bool)> { (stapA, false, true) };
        var payloads = new Collect();
        new H264Packetizer(120).Packetize(idr, payloads, endOfAccessUnit: true);
        packets.AddRange(payloads.Items.Select(p => (p.Payload, p.Marker, false)));
        packets.Add((slice, true, true));
        yield return PacketSequence.Encode(packets);

        // Single NAL unit packets only (packetization mode 0).
        yield return PacketSequence.Encode([(sps, false, true), (pps, false, false), (slice, true, false)]);
    }

    private sealed class Collect : IRtpPayloadSink
    {
        public List<(byte[] Payload, bool Marker)> Items { get; } = [];

        public void OnPayload(ReadOnlySpan<byte> payload, bool marker) => Items.Add((payload.ToArray(), marker));
    }
}
