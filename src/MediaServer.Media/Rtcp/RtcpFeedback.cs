using System.Buffers.Binary;

namespace MediaServer.Media.Rtcp;

/// <summary>
/// Reads the RTCP feedback messages (RFC 4585 §6.1) a media receiver sends: Generic NACK (RTPFB,
/// FMT 1), Picture Loss Indication (PSFB, FMT 1) and Full Intra Request (PSFB, FMT 4, RFC 5104
/// §4.3.1). Each packet is: header, sender SSRC, media source SSRC, then its feedback control
/// information. <see cref="RtcpFeedbackWriter"/> writes them.
/// </summary>
public static class RtcpFeedback
{
    public const int GenericNackFormat = 1;
    public const int PliFormat = 1;
    public const int FirFormat = 4;
    private const int CommonLength = 12;

    /// <summary>Reads a Generic NACK: its media SSRC and the lost packets it lists.</summary>
    public static bool TryParseGenericNack(ReadOnlySpan<byte> packet, out uint mediaSsrc, out NackList lost)
    {
        mediaSsrc = 0;
        lost = default;
        if (!IsFeedback(packet, RtcpPacketType.TransportFeedback, GenericNackFormat) || packet.Length < CommonLength + 4 || (packet.Length & 3) != 0)
        {
            return false;
        }

        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        lost = new NackList(packet[CommonLength..]);
        return true;
    }

    /// <summary>True for a PLI; gives the SSRC of the picture that was lost.</summary>
    public static bool TryParsePictureLoss(ReadOnlySpan<byte> packet, out uint mediaSsrc)
    {
        mediaSsrc = 0;
        if (!IsFeedback(packet, RtcpPacketType.PayloadFeedback, PliFormat) || packet.Length < CommonLength)
        {
            return false;
        }

        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        return true;
    }

    /// <summary>True for a FIR with at least one entry; gives the SSRC of its first entry.</summary>
    public static bool TryParseFullIntraRequest(ReadOnlySpan<byte> packet, out uint mediaSsrc)
    {
        mediaSsrc = 0;
        if (!IsFeedback(packet, RtcpPacketType.PayloadFeedback, FirFormat) || packet.Length < CommonLength + 8)
        {
            return false;
        }

        // RFC 5104 §4.3.1.2: the media source SSRC field is unused; the FCI entries name the SSRCs.
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[CommonLength..]);
        return true;
    }

    private static bool IsFeedback(ReadOnlySpan<byte> packet, RtcpPacketType type, int format) =>
        packet.Length >= CommonLength && packet[0] >> 6 == 2 && (packet[0] & 0x1F) == format && packet[1] == (byte)type;
}
