namespace MediaServer.WebRtc.Dtls;

/// <summary>The SRTP protection profiles this server negotiates in DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
public static class SrtpProtectionProfileId
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: 16-byte master key, 14-byte master salt.</summary>
    public const ushort Aes128CmHmacSha1_80 = 0x0001;

    /// <summary>SRTP_AEAD_AES_128_GCM: 16-byte master key, 12-byte master salt.</summary>
    public const ushort AeadAes128Gcm = 0x0007;

    /// <summary>Master key length in bytes for a supported profile; 0 for any other.</summary>
    public static int MasterKeyLength(ushort profile) => profile is Aes128CmHmacSha1_80 or AeadAes128Gcm ? 16 : 0;

    /// <summary>Master salt length in bytes for a supported profile; 0 for any other.</summary>
    public static int MasterSaltLength(ushort profile) => profile switch
    {
        Aes128CmHmacSha1_80 => 14,
        AeadAes128Gcm => 12,
        _ => 0,
    };
}
