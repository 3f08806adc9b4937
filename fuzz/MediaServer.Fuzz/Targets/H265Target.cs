using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// A camera's H.265 RTP payloads (see <see cref="PacketSequence"/>): the depacketizer (single NAL
/// unit, AP, FU reassembly with losses), the WebRTC repacketizer, keyframe detection and the
/// parameter-set tracker. No unit may be shorter than a NAL unit header or over the limit.
/// </summary>
public static class H265Target
{
    private const int MaxNalUnitSize = 8 * 1024;
    private const int MaxPayloadSize = 100;

    public static FuzzTarget Target { get; } = new(
        "h265",
        "H265Depacketizer, H265Repacketizer, KeyframeDetector, ParameterSetTracker (H.265)",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        var units = new CheckingSink(MaxNalUnitSize, minUnitSize: 2);
        var payloads = new CheckingSink(MaxPayloadSize);
        var depacketizer = new H265Depacketizer(units, MaxNalUnitSize);
        var repacketizer = new H265Repacketizer(MaxPayloadSize);
        repacketizer.SetParameterSets([0x40, 0x01, 0x0C], [0x42, 0x01, 0x01], [0x44, 0x01, 0xC1]);
        var tracker = new ParameterSetTracker();
        var sequence = new PacketSequence(data);
        while (sequence.TryReadNext(out ReadOnlySpan<byte> payload, out ushort sequenceNumber, out uint timestamp, out bool marker))
        {
            DepacketizeResult result = depacketizer.Push(payload, sequenceNumber, timestamp, marker);
            InvariantViolationException.Unless(Enum.IsDefined(result), $"depacketize result {result}");
            RepacketizeResult repacketized = repacketizer.Push(payload, marker, timestamp, payloads);
            InvariantViolationException.Unless(Enum.IsDefined(repacketized), $"repacketize result {repacketized}");
            _ = KeyframeDetector.ContainsRandomAccess(CodecKind.H265, payload);
            tracker.Observe(CodecKind.H265, payload);
        }
    }

    private static IEnumerable<byte[]> Seeds()
    {
        byte[] vps = [0x40, 0x01, 0x0C, 0x01, 0xFF, 0xFF];
        byte[] sps = [0x42, 0x01, 0x01, 0x01, 0x60, 0x00];
        byte[] pps = [0x44, 0x01, 0xC1, 0x72, 0xB4];
        byte[] trail = [0x02, 0x01, 0xD0, 0x0A, 0x0B];

        // RFC 7798 §4.4.2: VPS, SPS and PPS in one AP (type 48).
        byte[] ap = [0x60, 0x01, 0x00, (byte)vps.Length, .. vps, 0x00, (byte)sps.Length, .. sps, 0x00, (byte)pps.Length, .. pps];

        // §4.4.3: an IDR_W_RADL (type 19) in three FUs (type 49), S on the first and E on the last.
        byte[] body = [.. Enumerable.Range(0, 90).Select(i => (byte)(i * 5))];
        byte[] fuStart = [0x62, 0x01, 0x80 | 19, .. body[..30]];
        byte[] fuMiddle = [0x62, 0x01, 19, .. body[30..60]];
        byte[] fuEnd = [0x62, 0x01, 0x40 | 19, .. body[60..]];
        yield return PacketSequence.Encode([(ap, false, true), (fuStart, false, false), (fuMiddle, false, false), (fuEnd, true, false), (trail, true, true)]);

        // Single NAL unit packets.
        yield return PacketSequence.Encode([(vps, false, true), (sps, false, false), (pps, false, false), (trail, true, false)]);
    }
}
