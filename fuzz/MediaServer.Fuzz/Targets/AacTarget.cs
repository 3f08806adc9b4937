using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// AAC over RFC 3640 (mpeg4-generic): the first byte picks the AU-header layout the fmtp would
/// declare (sizelength, indexlength, indexdeltalength), the rest is a <see cref="PacketSequence"/>
/// fed to both the whole-AU and the fragment-reassembling depacketizer.
/// </summary>
public static class AacTarget
{
    private const int MaxAccessUnitSize = 64 * 1024;

    public static FuzzTarget Target { get; } = new(
        "aac",
        "Mpeg4GenericDepacketizer (AU headers, interleaving refusal, fragmented AUs) and its fmtp set-up",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        // AAC-hbr (13/3/3) and AAC-lbr (6/2/2) are what cameras send; other layouts are legal too.
        int layout = data[0];
        int sizeLength = 1 + (layout & 0x0F);
        int indexLength = (layout >> 4) & 0x03;
        int deltaLength = (layout >> 6) & 0x03;
        if ((layout & 0x0F) == 0x0F)
        {
            (sizeLength, indexLength, deltaLength) = (13, 3, 3);
        }

        var fmtp = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["sizelength"] = sizeLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["indexlength"] = indexLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["indexdeltalength"] = deltaLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var sink = new CheckingSink(MaxAccessUnitSize);
        InvariantViolationException.Unless(Mpeg4GenericDepacketizer.TryCreate(fmtp, sink, out Mpeg4GenericDepacketizer? whole), "a valid AU-header layout was refused");
        _ = Mpeg4GenericDepacketizer.TryCreate(fmtp, sink, out Mpeg4GenericDepacketizer? fragments);
        var sequence = new PacketSequence(data[1..]);
        while (sequence.TryReadNext(out ReadOnlySpan<byte> payload, out ushort sequenceNumber, out uint timestamp, out bool marker))
        {
            DepacketizeResult a = whole!.Push(payload, timestamp);
            DepacketizeResult b = fragments!.Push(payload, sequenceNumber, timestamp, marker);
            InvariantViolationException.Unless(Enum.IsDefined(a) && Enum.IsDefined(b), "an undefined depacketize result");
        }
    }

    private static IEnumerable<byte[]> Seeds()
    {
        // AAC-hbr (RFC 3640 §3.3.6): AU-headers-length 32 bits, two 16-bit headers (13-bit size, 3-bit index).
        byte[] au1 = [0x21, 0x10, 0x05, 0x00, 0xA0, 0x1C];
        byte[] au2 = [0x21, 0x10, 0x04, 0x60, 0x8C];
        byte[] two = [0x00, 0x20, (byte)(au1.Length >> 5), (byte)(au1.Length << 3), (byte)(au2.Length >> 5), (byte)(au2.Length << 3), .. au1, .. au2];
        yield return [0x0F, .. PacketSequence.Encode([(two, true, true)])];

        // One AU of 40 bytes fragmented over two packets (RFC 3640 §3.2.3): each repeats the whole AU's size.
        byte[] big = [.. Enumerable.Range(0, 40).Select(i => (byte)i)];
        byte[] header = [0x00, 0x10, 40 >> 5, (40 << 3) & 0xFF];
        yield return [0x0F, .. PacketSequence.Encode([([.. header, .. big[..25]], false, true), ([.. header, .. big[25..]], true, false)])];

        // AAC-lbr: 6-bit size, 2-bit index (layout byte: sizelength 6, indexlength 2, indexdeltalength 2).
        byte[] small = [0x11, 0x90, 0x08];
        yield return [0xA5, .. PacketSequence.Encode([([0x00, 0x08, (byte)(small.Length << 2), .. small], true, true)])];
    }
}
