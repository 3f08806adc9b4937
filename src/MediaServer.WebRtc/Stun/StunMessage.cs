using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace MediaServer.WebRtc.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489) that points into the datagram it came from: the header, and
/// where the attributes ICE needs are. Parsing allocates nothing and never throws; unknown
/// attributes are skipped (an ICE-lite server need not reject comprehension-required ones it
/// does not use, since every check it answers is also authenticated).
/// </summary>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const ushort BindingRequest = 0x0001;
    public const ushort BindingSuccess = 0x0101;
    public const ushort BindingError = 0x0111;
    public const ushort BindingIndication = 0x0011;

    private const uint FingerprintXor = 0x5354554E;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _usernameOffset;
    private readonly int _usernameLength;
    private readonly int _xorMappedOffset;
    private readonly int _xorMappedLength;

    private StunMessage(
        ReadOnlySpan<byte> data,
        int usernameOffset,
        int usernameLength,
        int integrityOffset,
        int fingerprintOffset,
        int xorMappedOffset,
        int xorMappedLength,
        uint priority,
        bool useCandidate,
        ulong? controlling,
        ulong? controlled,
        int errorCode)
    {
        _data = data;
        _usernameOffset = usernameOffset;
        _usernameLength = usernameLength;
        IntegrityOffset = integrityOffset;
        FingerprintOffset = fingerprintOffset;
        _xorMappedOffset = xorMappedOffset;
        _xorMappedLength = xorMappedLength;
        Priority = priority;
        UseCandidate = useCandidate;
        IceControlling = controlling;
        IceControlled = controlled;
        ErrorCode = errorCode;
    }

    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_data);

    public bool IsBindingRequest => MessageType == BindingRequest;

    public ReadOnlySpan<byte> TransactionId => _data.Slice(8, 12);

    /// <summary>USERNAME, empty when absent.</summary>
    public ReadOnlySpan<byte> Username => _usernameLength == 0 ? default : _data.Slice(_usernameOffset, _usernameLength);

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int IntegrityOffset { get; }

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset { get; }

    public bool HasMessageIntegrity => IntegrityOffset >= 0;

    public bool HasFingerprint => FingerprintOffset >= 0;

    public uint Priority { get; }

    public bool UseCandidate { get; }

    /// <summary>The tie-breaker of ICE-CONTROLLING, when present.</summary>
    public ulong? IceControlling { get; }

    /// <summary>The tie-breaker of ICE-CONTROLLED, when present.</summary>
    public ulong? IceControlled { get; }

    /// <summary>The ERROR-CODE (e.g. 401), or 0.</summary>
    public int ErrorCode { get; }

    public static StunParseError TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        if (datagram.Length < HeaderLength)
        {
            return StunParseError.TooShort;
        }

        // The two most significant bits of every STUN message are zero (RFC 8489 §5).
        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0 || HeaderLength + length != datagram.Length)
        {
            return StunParseError.LengthMismatch;
        }

        int usernameOffset = 0, usernameLength = 0, integrity = -1, fingerprint = -1, xorOffset = 0, xorLength = 0, errorCode = 0;
        uint priority = 0;
        bool useCandidate = false;
        ulong? controlling = null, controlled = null;
        int offset = HeaderLength;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4)
            {
                return StunParseError.AttributeTruncated;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int valueOffset = offset + 4;
            int padded = (valueLength + 3) & ~3;
            if (datagram.Length - valueOffset < padded)
            {
                return StunParseError.AttributeTruncated;
            }

            if (fingerprint >= 0 || (integrity >= 0 && type != StunAttributeType.Fingerprint))
            {
                // FINGERPRINT is last; only FINGERPRINT may follow MESSAGE-INTEGRITY.
                return StunParseError.AttributeAfterIntegrity;
            }

            ReadOnlySpan<byte> value = datagram.Slice(valueOffset, valueLength);
            switch (type)
            {
                case StunAttributeType.Username:
                    (usernameOffset, usernameLength) = (valueOffset, valueLength);
                    break;
                case StunAttributeType.MessageIntegrity when valueLength == 20:
                    integrity = offset;
                    break;
                case StunAttributeType.Fingerprint when valueLength == 4:
                    fingerprint = offset;
                    break;
                case StunAttributeType.Priority when valueLength == 4:
                    priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case StunAttributeType.UseCandidate:
                    useCandidate = true;
                    break;
                case StunAttributeType.IceControlling when valueLength == 8:
                    controlling = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case StunAttributeType.IceControlled when valueLength == 8:
                    controlled = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case StunAttributeType.XorMappedAddress:
                    (xorOffset, xorLength) = (valueOffset, valueLength);
                    break;
                case StunAttributeType.ErrorCode when valueLength >= 4:
                    errorCode = ((value[2] & 0x7) * 100) + value[3];
                    break;
                case StunAttributeType.MessageIntegrity:
                case StunAttributeType.Fingerprint:
                    return StunParseError.AttributeTruncated;
            }

            offset = valueOffset + padded;
        }

        message = new StunMessage(datagram, usernameOffset, usernameLength, integrity, fingerprint, xorOffset, xorLength,
            priority, useCandidate, controlling, controlled, errorCode);
        return StunParseError.None;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 with <paramref name="key"/> over the
    /// message up to the attribute, with the header's length as if the attribute were last.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (IntegrityOffset < 0)
        {
            return false;
        }

        int covered = IntegrityOffset;
        Span<byte> expected = stackalloc byte[20];
        ComputeIntegrity(_data[..covered], covered + 24 - HeaderLength, key, expected);
        return CryptographicOperations.FixedTimeEquals(expected, _data.Slice(covered + 4, 20));
    }

    /// <summary>Checks FINGERPRINT (RFC 8489 §14.7): CRC-32 of what precedes it, XOR 0x5354554E.</summary>
    public bool VerifyFingerprint() =>
        FingerprintOffset >= 0 &&
        ComputeFingerprint(_data[..FingerprintOffset]) == BinaryPrimitives.ReadUInt32BigEndian(_data[(FingerprintOffset + 4)..]);

    /// <summary>Parses and checks MESSAGE-INTEGRITY in one go.</summary>
    public static bool VerifyMessageIntegrity(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> key) =>
        TryParse(datagram, out StunMessage message) == StunParseError.None && message.VerifyMessageIntegrity(key);

    /// <summary>Parses and checks FINGERPRINT in one go.</summary>
    public static bool VerifyFingerprint(ReadOnlySpan<byte> datagram) =>
        TryParse(datagram, out StunMessage message) == StunParseError.None && message.VerifyFingerprint();

    /// <summary>Decodes XOR-MAPPED-ADDRESS (a client reads its reflexive address from a response).</summary>
    public IPEndPoint? GetXorMappedAddress()
    {
        if (_xorMappedLength < 8)
        {
            return null;
        }

        ReadOnlySpan<byte> value = _data.Slice(_xorMappedOffset, _xorMappedLength);
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(MagicCookie >> 16);
        Span<byte> address = stackalloc byte[16];
        if (value[1] == 0x01)
        {
            for (int i = 0; i < 4; i++)
            {
                address[i] = (byte)(value[4 + i] ^ (byte)(MagicCookie >> (24 - (8 * i))));
            }

            return new IPEndPoint(new IPAddress(address[..4]), port);
        }

        if (value[1] == 0x02 && _xorMappedLength >= 20)
        {
            // IPv6 XORs with the cookie followed by the transaction id.
            Span<byte> mask = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
            TransactionId.CopyTo(mask[4..]);
            for (int i = 0; i < 16; i++)
            {
                address[i] = (byte)(value[4 + i] ^ mask[i]);
            }

            return new IPEndPoint(new IPAddress(address), port);
        }

        return null;
    }

    internal static void ComputeIntegrity(ReadOnlySpan<byte> covered, int lengthField, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        // The header's length field must read as if MESSAGE-INTEGRITY ended the message, so the
        // hash runs over a patched copy. STUN over UDP stays under the path MTU; refuse the rest.
        if (covered.Length > 2048)
        {
            destination.Clear();
            return;
        }

        Span<byte> whole = stackalloc byte[covered.Length];
        covered.CopyTo(whole);
        BinaryPrimitives.WriteUInt16BigEndian(whole[2..], (ushort)lengthField);
#pragma warning disable CA5350 // RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1; browsers send nothing else.
        HMACSHA1.HashData(key, whole, destination);
#pragma warning restore CA5350
    }

    internal static uint ComputeFingerprint(ReadOnlySpan<byte> covered) => Crc32.Compute(covered) ^ FingerprintXor;
}
