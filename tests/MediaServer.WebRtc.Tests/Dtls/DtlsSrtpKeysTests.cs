using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Tests.Dtls;

public sealed class DtlsSrtpKeysTests
{
    [Theory]
    [InlineData(SrtpProtectionProfileId.Aes128CmHmacSha1_80, 16, 14)]
    [InlineData(SrtpProtectionProfileId.AeadAes128Gcm, 16, 12)]
    public void Keying_material_splits_in_the_RFC_5764_layout_for_each_side(ushort profile, int keyLength, int saltLength)
    {
        // RFC 5764 §4.2: client_write_key | server_write_key | client_write_salt | server_write_salt.
        byte[] material = new byte[2 * (keyLength + saltLength)];
        material.AsSpan(0, keyLength).Fill(0xC1);
        material.AsSpan(keyLength, keyLength).Fill(0x51);
        material.AsSpan(2 * keyLength, saltLength).Fill(0xC5);
        material.AsSpan((2 * keyLength) + saltLength, saltLength).Fill(0x55);

        DtlsSrtpKeys server = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isServer: true);
        DtlsSrtpKeys client = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isServer: false);

        Assert.Equal(profile, server.ProtectionProfile);
        Assert.Equal(Enumerable.Repeat((byte)0x51, keyLength), server.LocalMasterKey);
        Assert.Equal(Enumerable.Repeat((byte)0x55, saltLength), server.LocalMasterSalt);
        Assert.Equal(Enumerable.Repeat((byte)0xC1, keyLength), server.RemoteMasterKey);
        Assert.Equal(Enumerable.Repeat((byte)0xC5, saltLength), server.RemoteMasterSalt);
        Assert.Equal(server.LocalMasterKey, client.RemoteMasterKey);
        Assert.Equal(server.RemoteMasterSalt, client.LocalMasterSalt);
    }

    [Fact]
    public void Keying_material_of_the_wrong_length_or_an_unknown_profile_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromKeyingMaterial(SrtpProtectionProfileId.AeadAes128Gcm, new byte[60], true));
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsSrtpKeys.FromKeyingMaterial(0x0002, new byte[60], true));
    }

    [Fact]
    public void ToString_does_not_reveal_the_keys()
    {
        var keys = new DtlsSrtpKeys(SrtpProtectionProfileId.AeadAes128Gcm, [0xAB], [0xAB], [0xAB], [0xAB]);

        Assert.Equal("DtlsSrtpKeys { ProtectionProfile = 0x0007 }", keys.ToString());
    }
}
