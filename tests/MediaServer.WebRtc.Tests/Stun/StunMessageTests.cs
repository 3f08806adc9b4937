using System.Net;
using System.Text;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc.Stun;

namespace MediaServer.WebRtc.Tests.Stun;

public class StunMessageTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void Rfc5769_sample_request_parses_and_authenticates()
    {
        byte[] request = Rfc5769Vectors.Request;
        Assert.Equal(StunParseError.None, StunMessage.TryParse(request, out StunMessage message));
        Assert.True(message.IsBindingRequest);
        Assert.Equal(Rfc5769Vectors.TransactionId, message.TransactionId.ToArray());
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(message.Username));
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.Equal(0x932ff9b151263b36UL, message.IceControlled);
        Assert.Null(message.IceControlling);
        Assert.False(message.UseCandidate);
        Assert.True(StunMessage.VerifyMessageIntegrity(request, Key));
        Assert.True(StunMessage.VerifyFingerprint(request));
    }

    [Fact]
    public void Rfc5769_ipv4_response_parses_authenticates_and_maps_its_address()
    {
        byte[] response = Rfc5769Vectors.ResponseIPv4;
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out StunMessage message));
        Assert.Equal(StunMessage.BindingSuccess, message.MessageType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), message.GetXorMappedAddress());
        Assert.True(StunMessage.VerifyMessageIntegrity(response, Key));
        Assert.True(StunMessage.VerifyFingerprint(response));
    }

    [Fact]
    public void Rfc5769_ipv6_response_parses_authenticates_and_maps_its_address()
    {
        byte[] response = Rfc5769Vectors.ResponseIPv6;
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out StunMessage message));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), message.GetXorMappedAddress());
        Assert.True(StunMessage.VerifyMessageIntegrity(response, Key));
        Assert.True(StunMessage.VerifyFingerprint(response));
    }

    [Theory]
    [InlineData("192.0.2.1", 44)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 56)]
    public void Written_success_response_carries_the_vectors_xor_mapped_address_and_verifies(string address, int xorOffset)
    {
        // The vectors pad SOFTWARE with spaces where we pad with zeros, so the integrity and
        // fingerprint values differ; the XOR-MAPPED-ADDRESS bytes must be the vector's exactly.
        byte[] vector = address.Contains(':', StringComparison.Ordinal) ? Rfc5769Vectors.ResponseIPv6 : Rfc5769Vectors.ResponseIPv4;
        var buffer = new byte[256];
        int length = StunMessageWriter.WriteBindingSuccess(
            buffer, Rfc5769Vectors.TransactionId, new IPEndPoint(IPAddress.Parse(address), 32853), Key, software: "test vector");

        Assert.Equal(vector.Length, length);
        Assert.Equal(vector.AsSpan(0, xorOffset).ToArray()[..28], buffer.AsSpan(0, 28).ToArray());
        int xorLength = vector.Length - xorOffset - 32;
        Assert.Equal(vector.AsSpan(xorOffset, xorLength).ToArray(), buffer.AsSpan(xorOffset, xorLength).ToArray());
        Assert.True(StunMessage.VerifyMessageIntegrity(buffer.AsSpan(0, length), Key));
        Assert.True(StunMessage.VerifyFingerprint(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Written_request_round_trips()
    {
        var buffer = new byte[256];
        byte[] transaction = Convert.FromHexString("0102030405060708090a0b0c");
        int length = StunRequestWriter.WriteBindingRequest(
            buffer, transaction, "server:client"u8, Key, priority: 1234, tieBreaker: 42, controlling: true, useCandidate: true);

        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, length), out StunMessage message));
        Assert.True(message.IsBindingRequest);
        Assert.Equal("server:client", Encoding.UTF8.GetString(message.Username));
        Assert.Equal(1234u, message.Priority);
        Assert.Equal(42UL, message.IceControlling);
        Assert.True(message.UseCandidate);
        Assert.True(StunMessage.VerifyMessageIntegrity(buffer.AsSpan(0, length), Key));
        Assert.False(StunMessage.VerifyMessageIntegrity(buffer.AsSpan(0, length), "wrong password"u8));
        Assert.True(StunMessage.VerifyFingerprint(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Error_response_carries_its_code()
    {
        var buffer = new byte[256];
        int length = StunMessageWriter.WriteBindingError(buffer, Rfc5769Vectors.TransactionId, 401, "Unauthorized");
        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, length), out StunMessage message));
        Assert.Equal(StunMessage.BindingError, message.MessageType);
        Assert.Equal(401, message.ErrorCode);
        Assert.False(message.HasMessageIntegrity);
        Assert.True(StunMessage.VerifyFingerprint(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void A_flipped_bit_anywhere_before_the_integrity_fails_it()
    {
        for (int i = 0; i < 84; i++)
        {
            byte[] tampered = (byte[])Rfc5769Vectors.Request.Clone();
            tampered[i] ^= 0x01;
            bool parses = StunMessage.TryParse(tampered, out _) == StunParseError.None;
            Assert.False(parses && StunMessage.VerifyMessageIntegrity(tampered, Key), $"byte {i}");
        }
    }

    [Fact]
    public void A_wrong_fingerprint_fails()
    {
        byte[] tampered = (byte[])Rfc5769Vectors.Request.Clone();
        tampered[^1] ^= 0x80;
        Assert.False(StunMessage.VerifyFingerprint(tampered));
        Assert.True(StunMessage.VerifyMessageIntegrity(tampered, Key));
    }

    [Theory]
    [InlineData("", StunParseError.TooShort)]
    [InlineData("0001000021", StunParseError.TooShort)]
    [InlineData("c00100002112a442b7e7a701bc34d686fa87dfae", StunParseError.NotStun)]
    [InlineData("000100002112a443b7e7a701bc34d686fa87dfae", StunParseError.BadMagicCookie)]
    [InlineData("000100082112a442b7e7a701bc34d686fa87dfae", StunParseError.LengthMismatch)]
    [InlineData("000100062112a442b7e7a701bc34d686fa87dfae000000", StunParseError.LengthMismatch)]
    [InlineData("000100082112a442b7e7a701bc34d686fa87dfae00060009656e", StunParseError.LengthMismatch)]
    [InlineData("000100082112a442b7e7a701bc34d686fa87dfae0006000965766574", StunParseError.AttributeTruncated)]
    [InlineData("000100082112a442b7e7a701bc34d686fa87dfae0008000465766574", StunParseError.AttributeTruncated)]
    public void Malformed_messages_get_a_typed_error(string hex, StunParseError expected) =>
        Assert.Equal(expected, StunMessage.TryParse(Convert.FromHexString(hex), out _));

    [Fact]
    public void Attributes_after_message_integrity_other_than_fingerprint_are_refused()
    {
        byte[] request = Rfc5769Vectors.Request;
        byte[] withExtra = [.. request[..2], 0x00, 0x60, .. request[4..^8], 0x00, 0x24, 0x00, 0x04, 1, 2, 3, 4, .. request[^8..]];
        Assert.Equal(StunParseError.AttributeAfterIntegrity, StunMessage.TryParse(withExtra, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 }, PacketKind.Stun)]
    [InlineData(new byte[] { 0x16, 0xfe }, PacketKind.Dtls)]
    [InlineData(new byte[] { 0x80, 0x60 }, PacketKind.Rtp)]
    [InlineData(new byte[] { 0x80, 0xe0 }, PacketKind.Rtp)]
    [InlineData(new byte[] { 0x81, 0xc9 }, PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x8f, 0xce }, PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x40, 0x00 }, PacketKind.Unknown)]
    [InlineData(new byte[0], PacketKind.Unknown)]
    public void Datagrams_are_told_apart_by_rfc_7983(byte[] datagram, PacketKind kind) =>
        Assert.Equal(kind, PacketClassifier.Classify(datagram));

    [Fact]
    public void Ice_credentials_are_long_random_ice_chars()
    {
        string ufrag = IceCredentials.NewUfrag();
        string pwd = IceCredentials.NewPassword();
        Assert.True(ufrag.Length * 6 >= 128, "a ufrag is a 128-bit handle");
        Assert.True(pwd.Length >= 22);
        Assert.All(ufrag + pwd, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'));
        Assert.NotEqual(ufrag, IceCredentials.NewUfrag());
    }
}
