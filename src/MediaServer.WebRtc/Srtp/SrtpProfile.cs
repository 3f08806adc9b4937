namespace MediaServer.WebRtc.Srtp;

/// <summary>The DTLS-SRTP protection profiles this server speaks, by their IANA ids (RFC 5764, RFC 7714).</summary>
public enum SrtpProfile : ushort
{
    Aes128CmHmacSha1_80 = 0x0001,
    AeadAes128Gcm = 0x0007,
}
