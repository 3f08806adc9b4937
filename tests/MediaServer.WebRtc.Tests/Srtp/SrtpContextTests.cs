using System.Buffers.Binary;
using MediaServer.WebRtc.Srtp;

namespace MediaServer.WebRtc.Tests.Srtp;

public class SrtpContextTests
{
    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt14 = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    private static SrtpContext Context(SrtpProfile profile) =>
        new(profile, MasterKey, profile == SrtpProfile.AeadAes128Gcm ? MasterSalt14[..12] : MasterSalt14);

    private static byte[] Rtp(ushort sequence, uint ssrc = 0x11223344, int payload = 160, byte fill = 0xAB)
    {
        var packet = new byte[12 + payload + 16];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12, payload).Fill(fill);
        return packet;
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 10)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16)]
    public void Protect_then_unprotect_restores_the_packet_and_hides_the_payload(SrtpProfile profile, int overhead)
    {
        using SrtpContext sender = Context(profile);
        using SrtpContext receiver = Context(profile);
        byte[] packet = Rtp(1000);
        byte[] original = packet[..172];

        int length = sender.ProtectRtp(packet, 172);

        Assert.Equal(172 + overhead, length);
        Assert.Equal(original[..12], packet[..12]);
        Assert.NotEqual(original[12..172], packet[12..172]);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp(packet, length, out int plain));
        Assert.Equal(original, packet[..plain]);
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void A_tampered_packet_or_a_wrong_key_fails_authentication(SrtpProfile profile)
    {
        using SrtpContext sender = Context(profile);
        byte[] packet = Rtp(5);
        int length = sender.ProtectRtp(packet, 172);

        for (int i = 0; i < length; i += 7)
        {
            using SrtpContext receiver = Context(profile);
            byte[] tampered = (byte[])packet.Clone();
            tampered[i] ^= 0x04;
            Assert.NotEqual(SrtpError.None, receiver.UnprotectRtp(tampered, length, out _));
        }

        using var stranger = new SrtpContext(profile, new byte[16], new byte[profile == SrtpProfile.AeadAes128Gcm ? 12 : 14]);
        Assert.Equal(SrtpError.AuthenticationFailed, stranger.UnprotectRtp(packet, length, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Replays_and_packets_older_than_the_window_are_refused(SrtpProfile profile)
    {
        using SrtpContext sender = Context(profile);
        using SrtpContext receiver = Context(profile);
        var sent = new List<(byte[] Packet, int Length)>();
        for (ushort seq = 0; seq < 1100; seq++)
        {
            byte[] packet = Rtp(seq);
            sent.Add((packet, sender.ProtectRtp(packet, 172)));
        }

        (byte[] p1099, int l1099) = sent[1099];
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp((byte[])p1099.Clone(), l1099, out _));
        Assert.Equal(SrtpError.Replayed, receiver.UnprotectRtp((byte[])p1099.Clone(), l1099, out _));

        (byte[] p1090, int l1090) = sent[1090]; // late but inside the window: accepted once
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp((byte[])p1090.Clone(), l1090, out _));
        Assert.Equal(SrtpError.Replayed, receiver.UnprotectRtp((byte[])p1090.Clone(), l1090, out _));

        // A NACKed packet resent behind a burst: 999 behind is still inside the 1024-packet window.
        (byte[] p100, int l100) = sent[100];
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp((byte[])p100.Clone(), l100, out _));
        Assert.Equal(SrtpError.Replayed, receiver.UnprotectRtp((byte[])p100.Clone(), l100, out _));

        (byte[] p10, int l10) = sent[10]; // 1089 behind: outside the window
        Assert.Equal(SrtpError.TooOld, receiver.UnprotectRtp(p10, l10, out _));
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Rollover_counter_follows_the_sequence_number_across_wraps(SrtpProfile profile)
    {
        using SrtpContext sender = Context(profile);
        using SrtpContext receiver = Context(profile);
        byte[] packet = Rtp(0);
        for (int i = 0; i < 70_000; i++)
        {
            ushort seq = (ushort)(65000 + i);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
            packet.AsSpan(12, 160).Fill((byte)i);
            int length = sender.ProtectRtp(packet, 172);
            Assert.Equal(SrtpError.None, receiver.UnprotectRtp(packet, length, out int plain));
            Assert.Equal(172, plain);
            Assert.Equal((byte)i, packet[100]);
        }

        Assert.Equal(2u, sender.StreamState(0x11223344).RolloverCounter);
        Assert.Equal(2u, receiver.StreamState(0x11223344).RolloverCounter);
    }

    [Fact]
    public void A_retransmission_from_before_a_wrap_keeps_its_old_rollover_counter()
    {
        using SrtpContext sender = Context(SrtpProfile.Aes128CmHmacSha1_80);
        using SrtpContext receiver = Context(SrtpProfile.Aes128CmHmacSha1_80);
        byte[] lost = Rtp(65534);
        byte[] lostCopy = (byte[])lost.Clone();
        sender.ProtectRtp(lost, 172); // never delivered
        foreach (ushort seq in new ushort[] { 65535, 0, 1, 2 })
        {
            byte[] packet = Rtp(seq);
            Assert.Equal(SrtpError.None, receiver.UnprotectRtp(packet, sender.ProtectRtp(packet, 172), out _));
        }

        // The NACKed packet is protected again after the wrap: sender and receiver both place it in ROC 0.
        int length = sender.ProtectRtp(lostCopy, 172);
        Assert.Equal(SrtpError.None, receiver.UnprotectRtp(lostCopy, length, out _));
        Assert.Equal(1u, receiver.StreamState(0x11223344).RolloverCounter);
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 20)]
    public void Srtcp_round_trips_with_increasing_indices_and_refuses_replays(SrtpProfile profile, int overhead)
    {
        using SrtpContext sender = Context(profile);
        using SrtpContext receiver = Context(profile);
        byte[] report = Convert.FromHexString("81c90007deadbeef0102030400000000000000000000000000000000000000000000000000000000");
        for (int i = 0; i < 3; i++)
        {
            var buffer = new byte[report.Length + 32];
            report.CopyTo(buffer, 0);
            int length = sender.ProtectRtcp(buffer, report.Length);
            Assert.Equal(report.Length + overhead, length);
            Assert.Equal(0x80000000u | (uint)i, BinaryPrimitives.ReadUInt32BigEndian(
                buffer.AsSpan(profile == SrtpProfile.AeadAes128Gcm ? length - 4 : length - 14)));
            byte[] replay = (byte[])buffer.Clone();
            Assert.Equal(SrtpError.None, receiver.UnprotectRtcp(buffer, length, out int plain));
            Assert.Equal(report, buffer[..plain]);
            Assert.Equal(SrtpError.Replayed, receiver.UnprotectRtcp(replay, length, out _));
        }
    }

    [Fact]
    public void Truncated_packets_are_refused_not_thrown_on()
    {
        using SrtpContext receiver = Context(SrtpProfile.AeadAes128Gcm);
        Assert.Equal(SrtpError.MalformedHeader, receiver.UnprotectRtp(new byte[8], 8, out _));
        Assert.Equal(SrtpError.TooShort, receiver.UnprotectRtp(Rtp(1), 20, out _));
        Assert.Equal(SrtpError.TooShort, receiver.UnprotectRtcp(new byte[20], 20, out _));
    }
}
