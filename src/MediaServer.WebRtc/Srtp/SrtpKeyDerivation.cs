using System.Security.Cryptography;

namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// The AES-CM key derivation function of RFC 3711 §4.3 with a key derivation rate of 0: each
/// session key is the AES-CM keystream for IV = (master salt XOR label·2^48)·2^16. AEAD_AES_128_GCM
/// uses the same function with its 96-bit salt padded to 112 bits (RFC 7714 §11, erratum 4938).
/// </summary>
public static class SrtpKeyDerivation
{
    public const byte RtpEncryption = 0;
    public const byte RtpAuthentication = 1;
    public const byte RtpSalt = 2;
    public const byte RtcpEncryption = 3;
    public const byte RtcpAuthentication = 4;
    public const byte RtcpSalt = 5;

    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        masterSalt[..Math.Min(14, masterSalt.Length)].CopyTo(iv);
        iv[7] ^= label;

        using Aes aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        int blocks = (length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++)
        {
            iv.CopyTo(counters.AsSpan(i * 16));
            counters[(i * 16) + 14] = (byte)(i >> 8);
            counters[(i * 16) + 15] = (byte)i;
        }

        byte[] keystream = aes.EncryptEcb(counters, PaddingMode.None);
        return keystream[..length];
    }
}
