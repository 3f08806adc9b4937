using System.Net;
using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Fuzzing.Tests.Stun;

/// <summary>
/// STUN on the shared WebRTC port (RFC 8489, RFC 8445): every message the writer signs parses
/// with its fields, MESSAGE-INTEGRITY and FINGERPRINT verified; a wrong key or any single flipped
/// bit is caught; and any datagram is a typed error or a message that stays inside it.
/// </summary>
public class StunProperties
{
    private static readonly List<byte[]> Seeds = StunTarget.Target.Seeds().ToList();

    private static readonly Gen<string> IceChars = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"], 4, 64];

    private static readonly Gen<(byte[] TransactionId, byte[] Username, byte[] Key, uint Priority, ulong TieBreaker, bool Controlling, bool UseCandidate)> Requests =
        Gen.Select(Gen.Byte.Array[12], Gen.Select(IceChars, IceChars, (a, b) => System.Text.Encoding.ASCII.GetBytes(a + ":" + b)),
            Gen.Byte.Array[1, 64], Gen.UInt, Gen.ULong, Gen.Bool, Gen.Bool);

    private static byte[] Write((byte[] TransactionId, byte[] Username, byte[] Key, uint Priority, ulong TieBreaker, bool Controlling, bool UseCandidate) r)
    {
        byte[] buffer = new byte[1024];
        int length = StunRequestWriter.WriteBindingRequest(buffer, r.TransactionId, r.Username, r.Key, r.Priority, r.TieBreaker, r.Controlling, r.UseCandidate);
        return buffer[..length];
    }

    [Fact]
    public void A_signed_binding_request_parses_with_its_fields_and_verifies_with_its_key_only() =>
        Gen.Select(Requests, Gen.Byte.Array[1, 64]).Sample((r, otherKey) =>
        {
            byte[] datagram = Write(r);
            Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(datagram));
            Assert.Equal(StunParseError.None, StunMessage.TryParse(datagram, out StunMessage message));
            Assert.True(message.IsBindingRequest);
            Assert.Equal(r.TransactionId, message.TransactionId.ToArray());
            Assert.Equal(r.Username, message.Username.ToArray());
            Assert.Equal(r.Priority, message.Priority);
            Assert.Equal(r.UseCandidate, message.UseCandidate);
            Assert.Equal(r.Controlling ? r.TieBreaker : null, message.IceControlling);
            Assert.Equal(r.Controlling ? null : r.TieBreaker, message.IceControlled);
            Assert.True(message.VerifyMessageIntegrity(r.Key));
            Assert.True(message.VerifyFingerprint());
            Assert.Equal(otherKey.AsSpan().SequenceEqual(r.Key), message.VerifyMessageIntegrity(otherKey));
        }, iter: Budget.Text);

    [Fact]
    public void Any_single_flipped_bit_in_a_signed_request_is_caught() =>
        Requests.SelectMany(r => Gen.Int[0, (Write(r).Length * 8) - 1].Select(bit => (r, bit))).Sample(t =>
        {
            byte[] datagram = Write(t.r);
            datagram[t.bit / 8] ^= (byte)(1 << (t.bit % 8));
            bool accepted = StunMessage.TryParse(datagram, out StunMessage message) == StunParseError.None
                && message.VerifyMessageIntegrity(t.r.Key) && message.VerifyFingerprint();
            Assert.False(accepted);
        }, iter: Budget.Text);

    private static readonly Gen<IPEndPoint> EndPoints =
        Gen.OneOf(Gen.Byte.Array[4], Gen.Byte.Array[16]).Select(Gen.Int[0, 65535], (address, port) => new IPEndPoint(new IPAddress(address), port));

    [Fact]
    public void A_binding_success_tells_the_peer_exactly_the_address_it_came_from() =>
        Gen.Select(Gen.Byte.Array[12], EndPoints, Gen.Byte.Array[1, 64]).Sample((transactionId, endPoint, key) =>
        {
            byte[] buffer = new byte[512];
            int length = StunMessageWriter.WriteBindingSuccess(buffer, transactionId, endPoint, key, "mediaserver");
            Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, length), out StunMessage message));
            Assert.Equal(StunMessage.BindingSuccess, message.MessageType);
            Assert.Equal(endPoint, message.GetXorMappedAddress());
            Assert.True(message.VerifyMessageIntegrity(key));
            Assert.True(message.VerifyFingerprint());
        }, iter: Budget.Text);

    [Fact]
    public void Arbitrary_datagrams_are_a_typed_error_or_a_message_inside_them() =>
        Gen.Byte.Array[0, 120].Sample(bytes => StunTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Stun_shaped_datagrams_are_a_typed_error_or_a_message_inside_them() =>
        // A valid header with random attributes behind it gets past the first checks every time.
        Gen.Byte.Array[0, 25].Select(Gen.Int[0, 6], Gen.Int[0, 40]).Array[0, 6].Sample(attributes =>
        {
            var body = new List<byte>();
            foreach ((byte[] value, int typeIndex, int declared) in attributes)
            {
                ushort type = new ushort[] { 0x0006, 0x0008, 0x8028, 0x0024, 0x0025, 0x0020, 0x0009 }[typeIndex];
                int length = declared < 30 ? value.Length : declared;
                body.AddRange([(byte)(type >> 8), (byte)type, (byte)(length >> 8), (byte)length, .. value]);
                while (body.Count % 4 != 0)
                {
                    body.Add(0);
                }
            }

            byte[] datagram = [0x00, 0x01, (byte)(body.Count >> 8), (byte)body.Count, 0x21, 0x12, 0xA4, 0x42, .. new byte[12], .. body];
            StunTarget.Run(datagram);
        }, iter: Budget.Cheap);

    [Fact]
    public void Damaged_rfc_5769_messages_are_a_typed_error_or_a_message_inside_them() =>
        Mutations.Bytes(Seeds).Sample(bytes => StunTarget.Run(bytes), iter: Budget.Cheap);
}
