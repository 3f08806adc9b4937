using System.Buffers.Binary;
using System.Text;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// A datagram on the shared WebRTC port: the classifier, then <see cref="StunMessage.TryParse"/>;
/// a message that parses must point only inside the datagram, with FINGERPRINT last and only
/// FINGERPRINT after MESSAGE-INTEGRITY, and verifying or decoding it must not throw.
/// </summary>
public static class StunTarget
{
    /// <summary>The RFC 5769 §2 password, so the seeds' integrity really verifies.</summary>
    public static readonly byte[] Key = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    public static FuzzTarget Target { get; } = new(
        "stun",
        "PacketClassifier, StunMessage.TryParse, MESSAGE-INTEGRITY and FINGERPRINT checks, XOR-MAPPED-ADDRESS",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        PacketKind kind = PacketClassifier.Classify(data);
        StunParseError error = StunMessage.TryParse(data, out StunMessage message);
        InvariantViolationException.Unless(Enum.IsDefined(error), $"STUN error {error}");
        if (error != StunParseError.None)
        {
            return;
        }

        InvariantViolationException.Unless(data[0] >= 4 || kind == PacketKind.Stun, "a STUN message the classifier does not see as STUN");
        InvariantViolationException.Unless(BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + StunMessage.HeaderLength == data.Length, "the STUN length disagrees with the datagram");
        InvariantViolationException.Unless(message.Username.IsEmpty || message.Username.Length <= data.Length - StunMessage.HeaderLength - 4, "USERNAME longer than the attributes");
        if (message.HasFingerprint)
        {
            InvariantViolationException.Unless(message.FingerprintOffset + 8 == data.Length, "FINGERPRINT is not last");
        }

        if (message.HasMessageIntegrity)
        {
            InvariantViolationException.Unless(
                message.IntegrityOffset >= StunMessage.HeaderLength && message.IntegrityOffset % 4 == 0 &&
                message.IntegrityOffset + 24 == (message.HasFingerprint ? message.FingerprintOffset : data.Length),
                "MESSAGE-INTEGRITY out of place");
        }

        _ = message.VerifyMessageIntegrity(Key);
        _ = message.VerifyFingerprint();
        _ = message.GetXorMappedAddress();
        _ = message.TransactionId.Length;
    }

    private static IEnumerable<byte[]> Seeds()
    {
        // RFC 5769 §2.1 sample request and §2.2 / §2.3 sample responses.
        yield return Convert.FromHexString(
            "000100582112a442b7e7a701bc34d686fa87dfae80220010" + "5354554e207465737420636c69656e74" +
            "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020" +
            "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");
        yield return Convert.FromHexString(
            "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
            "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
            "80280004c07d4c96");
        yield return Convert.FromHexString(
            "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
            "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9" +
            "00080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c");

        // An error response as the server writes it for a failed check (401).
        byte[] buffer = new byte[512];
        int length = StunMessageWriter.WriteBindingError(buffer, Convert.FromHexString("b7e7a701bc34d686fa87dfae"), 401, "Unauthorized");
        yield return buffer[..length];
    }
}
