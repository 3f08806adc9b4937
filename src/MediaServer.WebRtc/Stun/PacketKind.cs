namespace MediaServer.WebRtc.Stun;

/// <summary>What a datagram on the shared WebRTC port is, by RFC 7983's first-byte ranges.</summary>
public enum PacketKind
{
    Unknown,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
}
