using System.Buffers.Binary;
using MediaServer.Media.Rtp;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// One RTP datagram: <see cref="RtpHeader.TryParse"/> must either refuse it or describe a header
/// and payload that lie inside it and agree with its bytes; rewriting the header (what egress
/// does) must not change the lengths; the shared-port classifier must not throw.
/// </summary>
public static class RtpTarget
{
    public static FuzzTarget Target { get; } = new(
        "rtp",
        "RtpHeader.TryParse and Rewrite, PacketClassifier",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        _ = PacketClassifier.Classify(data);
        if (RtpHeader.TryParse(data, out RtpHeader header) != RtpParseError.None)
        {
            return;
        }

        Check(data, header);
        byte[] copy = data.ToArray();
        RtpHeader.Rewrite(copy, (ushort)~header.SequenceNumber, ~header.Timestamp, ~header.Ssrc);
        InvariantViolationException.Unless(RtpHeader.TryParse(copy, out RtpHeader rewritten) == RtpParseError.None, "a rewritten header no longer parses");
        InvariantViolationException.Unless(
            rewritten.HeaderLength == header.HeaderLength && rewritten.PayloadLength == header.PayloadLength &&
            rewritten.SequenceNumber == (ushort)~header.SequenceNumber && rewritten.Ssrc == ~header.Ssrc,
            "rewriting changed more than sequence number, timestamp and SSRC");
    }

    /// <summary>The header's claims against the packet it came from.</summary>
    public static void Check(ReadOnlySpan<byte> packet, RtpHeader header)
    {
        int csrcCount = packet[0] & 0x0F;
        bool extension = (packet[0] & 0x10) != 0;
        bool padding = (packet[0] & 0x20) != 0;
        int minimum = RtpHeader.FixedLength + (csrcCount * 4) + (extension ? 4 : 0);
        InvariantViolationException.Unless(header.HeaderLength >= minimum && header.HeaderLength <= packet.Length, $"header length {header.HeaderLength}");
        InvariantViolationException.Unless(header.PayloadLength >= 0 && header.HeaderLength + header.PayloadLength <= packet.Length, $"payload length {header.PayloadLength}");
        int paddingLength = packet.Length - header.HeaderLength - header.PayloadLength;
        InvariantViolationException.Unless(padding ? paddingLength == packet[^1] && paddingLength > 0 : paddingLength == 0, "padding disagrees with the P bit");
        InvariantViolationException.Unless(
            header.Marker == ((packet[1] & 0x80) != 0) && header.PayloadType == (packet[1] & 0x7F) &&
            header.SequenceNumber == BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) &&
            header.Timestamp == BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) &&
            header.Ssrc == BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            "header fields disagree with the bytes");
    }

    private static IEnumerable<byte[]> Seeds()
    {
        // Fixed header only (RFC 3550 §5.1), H.264 PT 96, marker set.
        yield return Convert.FromHexString("80E01234000030391A2B3C4D" + "6588840021");
        // Two CSRCs, a one-byte header extension (RFC 8285 §4.2) and 3 bytes of padding.
        yield return Convert.FromHexString("B26000070000A0001A2B3C4D" + "0000000100000002" + "BEDE0001" + "10AB0000" + "DEADBEEF" + "000003");
        // Opus in WebRTC: PT 111.
        yield return Convert.FromHexString("806F00010000000011223344" + "FCFFFE");
    }
}
