using System.Buffers.Binary;

namespace MediaServer.Media.Rtp;

/// <summary>
/// The fixed RTP header of RFC 3550 §5.1, with the offsets of payload and padding resolved.
/// Parsing never throws: a packet from the network that lies about its lengths is a typed error.
/// </summary>
public readonly struct RtpHeader
{
    public const int FixedLength = 12;

    public bool Marker { get; init; }
    public byte PayloadType { get; init; }
    public ushort SequenceNumber { get; init; }
    public uint Timestamp { get; init; }
    public uint Ssrc { get; init; }

    /// <summary>Bytes before the payload: fixed header, CSRC list and header extension.</summary>
    public int HeaderLength { get; init; }

    /// <summary>Payload bytes, padding excluded.</summary>
    public int PayloadLength { get; init; }

    public static RtpParseError TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength)
        {
            return RtpParseError.TooShort;
        }

        byte first = packet[0];
        if (first >> 6 != 2)
        {
            return RtpParseError.BadVersion;
        }

        bool padding = (first & 0x20) != 0;
        bool extension = (first & 0x10) != 0;
        int csrcCount = first & 0x0F;
        int offset = FixedLength + (csrcCount * 4);
        if (offset > packet.Length)
        {
            return RtpParseError.TruncatedCsrcList;
        }

        if (extension)
        {
            if (offset + 4 > packet.Length)
            {
                return RtpParseError.TruncatedExtension;
            }

            int words = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2));
            offset += 4 + (words * 4);
            if (offset > packet.Length)
            {
                return RtpParseError.TruncatedExtension;
            }
        }

        int end = packet.Length;
        if (padding)
        {
            int padLength = packet[^1];
            if (padLength == 0 || end - padLength < offset)
            {
                return RtpParseError.BadPadding;
            }

            end -= padLength;
        }

        header = new RtpHeader
        {
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4)),
            HeaderLength = offset,
            PayloadLength = end - offset,
        };
        return RtpParseError.None;
    }

    /// <summary>
    /// Rewrites sequence number, timestamp and SSRC in place: what an egress session changes
    /// so each reader sees one continuous RTP stream of its own.
    /// </summary>
    public static void Rewrite(Span<byte> packet, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(8, 4), ssrc);
    }
}
