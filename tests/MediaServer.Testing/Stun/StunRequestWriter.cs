using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Testing.Stun;

/// <summary>
/// Writes a STUN Binding request as an ICE agent sends it (RFC 8445 §7.1.1): USERNAME,
/// ICE-CONTROLLING or ICE-CONTROLLED, PRIORITY, optionally USE-CANDIDATE, then MESSAGE-INTEGRITY
/// and FINGERPRINT. The server only answers these; test clients, fuzz seeds and benchmarks send
/// them. Framed here on its own, apart from the server's writer, so a test also checks that
/// the server reads what another implementation wrote.
/// </summary>
public static class StunRequestWriter
{
    private const int AttributeHeaderLength = 4;
    private const int IntegrityLength = 20;
    private const uint FingerprintXor = 0x5354554E;

    public static int WriteBindingRequest(
        Span<byte> destination,
        ReadOnlySpan<byte> transactionId,
        ReadOnlySpan<byte> username,
        ReadOnlySpan<byte> key,
        uint priority,
        ulong tieBreaker,
        bool controlling,
        bool useCandidate)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, StunMessage.BindingRequest);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunMessage.MagicCookie);
        transactionId[..12].CopyTo(destination[8..]);
        int length = StunMessage.HeaderLength;

        length = WriteAttribute(destination, length, StunAttributeType.Username, username);
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, tieBreaker);
        length = WriteAttribute(destination, length, controlling ? StunAttributeType.IceControlling : StunAttributeType.IceControlled, value);
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        length = WriteAttribute(destination, length, StunAttributeType.Priority, value[..4]);
        if (useCandidate)
        {
            length = WriteAttribute(destination, length, StunAttributeType.UseCandidate, default);
        }

        // RFC 8489 §14.5: the HMAC covers the message with its length field already counting
        // MESSAGE-INTEGRITY itself; §14.7: the CRC likewise counts FINGERPRINT.
        Span<byte> hmac = stackalloc byte[IntegrityLength];
        SetLength(destination, length + AttributeHeaderLength + IntegrityLength);
#pragma warning disable CA5350 // RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1.
        HMACSHA1.HashData(key, destination[..length], hmac);
#pragma warning restore CA5350
        length = WriteAttribute(destination, length, StunAttributeType.MessageIntegrity, hmac);

        SetLength(destination, length + AttributeHeaderLength + 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, Crc32(destination[..length]) ^ FingerprintXor);
        return WriteAttribute(destination, length, StunAttributeType.Fingerprint, value[..4]);
    }

    private static int WriteAttribute(Span<byte> destination, int offset, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)value.Length);
        value.CopyTo(destination[(offset + AttributeHeaderLength)..]);
        int padded = (value.Length + 3) & ~3;
        destination.Slice(offset + AttributeHeaderLength + value.Length, padded - value.Length).Clear();
        int end = offset + AttributeHeaderLength + padded;
        SetLength(destination, end);
        return end;
    }

    private static void SetLength(Span<byte> destination, int end) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(end - StunMessage.HeaderLength));

    /// <summary>CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), as RFC 8489 §14.7 names it.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
