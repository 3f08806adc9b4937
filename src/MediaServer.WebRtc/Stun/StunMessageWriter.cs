using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.WebRtc.Stun;

/// <summary>
/// Writes the STUN messages an ICE-lite server sends into a caller's buffer, allocation-free:
/// Binding success and error responses. Every message ends with MESSAGE-INTEGRITY (when keyed)
/// and FINGERPRINT, as RFC 8445 §7.3 requires. (Binding requests, which only clients send, are
/// written by the test clients.)
/// </summary>
public static class StunMessageWriter
{
    /// <summary>A success response to a Binding request, telling the peer its address as we saw it.</summary>
    public static int WriteBindingSuccess(Span<byte> destination, ReadOnlySpan<byte> transactionId, SocketAddress source, ReadOnlySpan<byte> key)
    {
        int length = WriteHeader(destination, StunMessage.BindingSuccess, transactionId);
        length = WriteXorMappedAddress(destination, length, source, transactionId);
        length = WriteIntegrity(destination, length, key);
        return WriteFingerprint(destination, length);
    }

    /// <summary>The same, from an <see cref="IPEndPoint"/> (tests, and callers without a SocketAddress).</summary>
    public static int WriteBindingSuccess(Span<byte> destination, ReadOnlySpan<byte> transactionId, IPEndPoint source, ReadOnlySpan<byte> key, string? software = null)
    {
        int length = WriteHeader(destination, StunMessage.BindingSuccess, transactionId);
        if (software is not null)
        {
            length = WriteAttribute(destination, length, StunAttributeType.Software, Encoding.UTF8.GetBytes(software));
        }

        length = WriteXorMappedAddress(destination, length, source.Serialize(), transactionId);
        length = WriteIntegrity(destination, length, key);
        return WriteFingerprint(destination, length);
    }

    /// <summary>An error response (e.g. 400, 401, 487) with ERROR-CODE and FINGERPRINT but no integrity.</summary>
    public static int WriteBindingError(Span<byte> destination, ReadOnlySpan<byte> transactionId, int code, string reason)
    {
        int length = WriteHeader(destination, StunMessage.BindingError, transactionId);
        Span<byte> value = stackalloc byte[4 + 128];
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        int reasonLength = Encoding.UTF8.GetBytes(reason.AsSpan(0, Math.Min(reason.Length, 100)), value[4..]);
        length = WriteAttribute(destination, length, StunAttributeType.ErrorCode, value[..(4 + reasonLength)]);
        return WriteFingerprint(destination, length);
    }

    private static int WriteHeader(Span<byte> destination, ushort type, ReadOnlySpan<byte> transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunMessage.MagicCookie);
        transactionId[..12].CopyTo(destination[8..]);
        return StunMessage.HeaderLength;
    }

    private static int WriteAttribute(Span<byte> destination, int offset, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)value.Length);
        value.CopyTo(destination[(offset + 4)..]);
        int padded = (value.Length + 3) & ~3;
        destination.Slice(offset + 4 + value.Length, padded - value.Length).Clear();
        int end = offset + 4 + padded;
        SetLength(destination, end);
        return end;
    }

    private static int WriteXorMappedAddress(Span<byte> destination, int offset, SocketAddress address, ReadOnlySpan<byte> transactionId)
    {
        // SocketAddress holds the native sockaddr: port in network order at 2, then the address
        // (IPv4 at 4; IPv6 at 8, after the flow label).
        ReadOnlySpan<byte> raw = address.Buffer.Span;
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        bool v6 = address.Family == AddressFamily.InterNetworkV6;
        Span<byte> value = stackalloc byte[v6 ? 20 : 8];
        value[0] = 0;
        value[1] = (byte)(v6 ? 0x02 : 0x01);
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId[..12].CopyTo(mask[4..]);
        ReadOnlySpan<byte> ip = v6 ? raw.Slice(8, 16) : raw.Slice(4, 4);
        for (int i = 0; i < ip.Length; i++)
        {
            value[4 + i] = (byte)(ip[i] ^ mask[i]);
        }

        return WriteAttribute(destination, offset, StunAttributeType.XorMappedAddress, value);
    }

    private static int WriteIntegrity(Span<byte> destination, int offset, ReadOnlySpan<byte> key)
    {
        Span<byte> hmac = stackalloc byte[20];
        StunMessage.ComputeIntegrity(destination[..offset], offset + 24 - StunMessage.HeaderLength, key, hmac);
        return WriteAttribute(destination, offset, StunAttributeType.MessageIntegrity, hmac);
    }

    private static int WriteFingerprint(Span<byte> destination, int offset)
    {
        SetLength(destination, offset + 8);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, StunMessage.ComputeFingerprint(destination[..offset]));
        return WriteAttribute(destination, offset, StunAttributeType.Fingerprint, value);
    }

    private static void SetLength(Span<byte> destination, int end) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(end - StunMessage.HeaderLength));
}
