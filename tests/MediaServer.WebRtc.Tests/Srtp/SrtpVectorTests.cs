using MediaServer.WebRtc.Srtp;

namespace MediaServer.WebRtc.Tests.Srtp;

/// <summary>Known answers from RFC 3711 Appendix B and RFC 7714 §16–17.</summary>
public class SrtpVectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    [Fact]
    public void Aes_cm_keystream_matches_rfc3711_b2()
    {
        using var counterMode = new AesCounterMode(Hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = [.. Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, 0];
        var keystream = new byte[48];

        counterMode.Apply(iv, keystream);

        Assert.Equal(
            Hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            keystream);
    }

    [Fact]
    public void Session_keys_match_rfc3711_b3()
    {
        byte[] masterKey = Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = Hex("0EC675AD498AFEEBB6960B3AABE6");

        Assert.Equal(Hex("C61E7A93744F39EE10734AFE3FF7A087"), SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, 16));
        Assert.Equal(Hex("30CBBC08863D8C85D49DB34A9AE1"), SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, 14));
        Assert.Equal(
            Hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, 20));
    }

    private static readonly byte[] GcmKey = Hex("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] GcmSalt = Hex("517569642070726f2071756f"); // "Quid pro quo"

    private static readonly byte[] Rfc7714Rtp = Hex(
        "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573");

    private static readonly byte[] Rfc7714Srtp = Hex(
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833" +
        "899d7f27 beb16a91 52cf765e e4390cce");

    private static readonly byte[] Rfc7714Rtcp = Hex(
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");

    private static readonly byte[] Rfc7714Srtcp = Hex(
        "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded" +
        "0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4");

    [Fact]
    public void Aead_aes_128_gcm_rtp_matches_rfc7714_16_1()
    {
        using SrtpContext sender = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt);
        var buffer = new byte[Rfc7714Srtp.Length];
        Rfc7714Rtp.CopyTo(buffer, 0);

        int length = sender.ProtectRtp(buffer, Rfc7714Rtp.Length);

        Assert.Equal(Rfc7714Srtp, buffer[..length]);

        using SrtpContext receiver = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp(buffer, length, out int plain));
        Assert.Equal(Rfc7714Rtp, buffer[..plain]);
    }

    [Fact]
    public void Aead_aes_128_gcm_rtcp_matches_rfc7714_17_1()
    {
        using SrtpContext sender = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt);
        sender.StreamState(0x4d617273).NextSrtcpIndex = 0x5d4;
        var buffer = new byte[Rfc7714Srtcp.Length];
        Rfc7714Rtcp.CopyTo(buffer, 0);

        int length = sender.ProtectRtcp(buffer, Rfc7714Rtcp.Length);

        Assert.Equal(Rfc7714Srtcp, buffer[..length]);

        using SrtpContext receiver = SrtpContext.FromSessionKeys(SrtpProfile.AeadAes128Gcm, GcmKey, GcmSalt);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtcp(buffer, length, out int plain));
        Assert.Equal(Rfc7714Rtcp, buffer[..plain]);
    }

    /// <summary>
    /// Whole packets from master keys (so key derivation included), for both profiles: the
    /// reference packets of libsrtp's own validation (cisco/libsrtp, test/srtp_driver.c,
    /// srtp_validate and srtp_validate_gcm). libsrtp's first SRTCP index is 1, ours 0: the second
    /// SRTCP packet is compared.
    /// </summary>
    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, "e1f97a0d3e018be0d64fa32c06de4139", "0ec675ad498afeebb6960b3aabe6",
        "800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb",
        "81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 80000001 993e08cd 54d6c123 0798")]
    [InlineData(SrtpProfile.AeadAes128Gcm, "000102030405060708090a0b0c0d0e0f", "a0a1a2a3a4a5a6a7a8a9aaab",
        "800f1234 decafbad cafebabe c5002ede 04cfdd2e b91159e0 880aa06e d2976826 f796b201 df3131a1 27e8a392",
        "81c8000b cafebabe c98b8b5d f0392a55 852b6c21 ac8e7025 c52c6fbe a2b3b446 ea31123b a88ce61e 80000001")]
    public void Whole_packets_match_libsrtps_reference_packets(SrtpProfile profile, string key, string salt, string srtp, string srtcp)
    {
        byte[] rtp = Hex("800f1234 decafbad cafebabe abababab abababab abababab abababab");
        byte[] rtcp = Hex("81c8000b cafebabe abababab abababab abababab abababab");
        using var sender = new SrtpContext(profile, Hex(key), Hex(salt));
        using var receiver = new SrtpContext(profile, Hex(key), Hex(salt));
        var buffer = new byte[64];

        rtp.CopyTo(buffer, 0);
        int length = sender.ProtectRtp(buffer, rtp.Length);
        Assert.Equal(Hex(srtp), buffer[..length]);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp(buffer, length, out int plain));
        Assert.Equal(rtp, buffer[..plain]);

        rtcp.CopyTo(buffer, 0);
        sender.ProtectRtcp(buffer, rtcp.Length);
        rtcp.CopyTo(buffer, 0);
        length = sender.ProtectRtcp(buffer, rtcp.Length);
        Assert.Equal(Hex(srtcp), buffer[..length]);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtcp(buffer, length, out plain));
        Assert.Equal(rtcp, buffer[..plain]);
    }
}
