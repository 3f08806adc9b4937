namespace MediaServer.WebRtc.Stun;

/// <summary>
/// Demultiplexes STUN, DTLS and SRTP/SRTCP arriving on one port (RFC 7983 §7): the first byte
/// says which; for RTP versus RTCP, RTCP packet types 192..223 sit where an RTP marker bit plus
/// payload type would be (RFC 5761 §4), which is why those payload types are never used for RTP.
/// </summary>
public static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        byte first = datagram[0];
        return first switch
        {
            <= 3 => PacketKind.Stun,
            >= 20 and <= 63 => PacketKind.Dtls,
            >= 128 and <= 191 => datagram.Length >= 2 && datagram[1] is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp,
            _ => PacketKind.Unknown,
        };
    }
}
