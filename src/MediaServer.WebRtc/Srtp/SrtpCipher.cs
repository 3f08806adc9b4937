using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// The transforms of one set of session keys (the RTP set or the RTCP set): AES-CM with a
/// truncated HMAC-SHA1 tag (RFC 3711 §4.1.1, §4.2.1), or AES-GCM with a 16-byte tag and the
/// header as associated data (RFC 7714 §8, §9). Packet layouts:
/// CM   RTP: header | encrypted payload | tag(10);   RTCP: header(8) | encrypted | E+index | tag(10)
/// GCM  RTP: header | encrypted payload | tag(16);   RTCP: header(8) | encrypted | tag(16) | E+index
/// </summary>
internal sealed class SrtpCipher : IDisposable
{
    private const int HmacTagLength = 10;
    private const int GcmTagLength = 16;

    private readonly bool _gcm;
    private readonly byte[] _salt;
    private readonly AesCounterMode? _counterMode;
    private readonly IncrementalHash? _hmac;
    private readonly AesGcm? _aesGcm;

    public SrtpCipher(SrtpProfile profile, byte[] key, byte[] salt, byte[] authKey)
    {
        _gcm = profile == SrtpProfile.AeadAes128Gcm;
        _salt = salt;
        if (_gcm)
        {
            _aesGcm = new AesGcm(key, GcmTagLength);
        }
        else
        {
            _counterMode = new AesCounterMode(key);
#pragma warning disable CA5350 // HMAC-SHA1 is what RFC 3711 specifies for this profile.
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
#pragma warning restore CA5350
        }
    }

    public int ProtectRtp(Span<byte> packet, int header, int length, uint ssrc, uint roc, ushort sequence)
    {
        Span<byte> payload = packet[header..length];
        if (_gcm)
        {
            Span<byte> nonce = stackalloc byte[12];
            RtpNonce(nonce, ssrc, roc, sequence);
            _aesGcm!.Encrypt(nonce, payload, payload, packet.Slice(length, GcmTagLength), packet[..header]);
            return length + GcmTagLength;
        }

        Span<byte> iv = stackalloc byte[16];
        CounterIv(iv, ssrc, ((ulong)roc << 16) | sequence);
        _counterMode!.Apply(iv, payload);
        RtpTag(packet[..length], roc, packet.Slice(length, HmacTagLength));
        return length + HmacTagLength;
    }

    public bool UnprotectRtp(Span<byte> packet, int header, int length, uint ssrc, uint roc, ushort sequence)
    {
        if (_gcm)
        {
            int end = length - GcmTagLength;
            Span<byte> nonce = stackalloc byte[12];
            RtpNonce(nonce, ssrc, roc, sequence);
            return TryDecrypt(nonce, packet[header..end], packet.Slice(end, GcmTagLength), packet[..header]);
        }

        int authenticated = length - HmacTagLength;
        Span<byte> expected = stackalloc byte[HmacTagLength];
        RtpTag(packet[..authenticated], roc, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet.Slice(authenticated, HmacTagLength)))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[16];
        CounterIv(iv, ssrc, ((ulong)roc << 16) | sequence);
        _counterMode!.Apply(iv, packet[header..authenticated]);
        return true;
    }

    public int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        uint flaggedIndex = 0x80000000 | index;
        if (_gcm)
        {
            Span<byte> nonce = stackalloc byte[12];
            RtcpNonce(nonce, ssrc, index);
            Span<byte> aad = stackalloc byte[12];
            packet[..8].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[8..], flaggedIndex);
            _aesGcm!.Encrypt(nonce, packet[8..length], packet[8..length], packet.Slice(length, GcmTagLength), aad);
            BinaryPrimitives.WriteUInt32BigEndian(packet[(length + GcmTagLength)..], flaggedIndex);
            return length + GcmTagLength + 4;
        }

        Span<byte> iv = stackalloc byte[16];
        CounterIv(iv, ssrc, index);
        _counterMode!.Apply(iv, packet[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], flaggedIndex);
        Tag(packet[..(length + 4)], packet.Slice(length + 4, HmacTagLength));
        return length + 4 + HmacTagLength;
    }

    public bool UnprotectRtcp(Span<byte> packet, int length, uint ssrc, out int plainLength)
    {
        plainLength = 0;
        if (_gcm)
        {
            int indexOffset = length - 4;
            int tagOffset = indexOffset - GcmTagLength;
            uint flagged = BinaryPrimitives.ReadUInt32BigEndian(packet[indexOffset..]);
            uint index = flagged & 0x7FFFFFFF;
            Span<byte> nonce = stackalloc byte[12];
            RtcpNonce(nonce, ssrc, index);
            bool ok;
            if ((flagged & 0x80000000) != 0)
            {
                Span<byte> aad = stackalloc byte[12];
                packet[..8].CopyTo(aad);
                BinaryPrimitives.WriteUInt32BigEndian(aad[8..], flagged);
                ok = TryDecrypt(nonce, packet[8..tagOffset], packet.Slice(tagOffset, GcmTagLength), aad);
            }
            else
            {
                // Authenticated only (RFC 7714 §9.2): the whole packet and the index are the AAD.
                Span<byte> aad = stackalloc byte[tagOffset + 4];
                packet[..tagOffset].CopyTo(aad);
                BinaryPrimitives.WriteUInt32BigEndian(aad[tagOffset..], flagged);
                ok = TryDecrypt(nonce, [], packet.Slice(tagOffset, GcmTagLength), aad);
            }

            plainLength = tagOffset;
            return ok;
        }

        int authenticated = length - HmacTagLength;
        Span<byte> expected = stackalloc byte[HmacTagLength];
        Tag(packet[..authenticated], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet.Slice(authenticated, HmacTagLength)))
        {
            return false;
        }

        int end = authenticated - 4;
        uint flaggedIndex = BinaryPrimitives.ReadUInt32BigEndian(packet[end..]);
        if ((flaggedIndex & 0x80000000) != 0)
        {
            Span<byte> iv = stackalloc byte[16];
            CounterIv(iv, ssrc, flaggedIndex & 0x7FFFFFFF);
            _counterMode!.Apply(iv, packet[8..end]);
        }

        plainLength = end;
        return true;
    }

    public void Dispose()
    {
        _counterMode?.Dispose();
        _hmac?.Dispose();
        _aesGcm?.Dispose();
    }

    private bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        try
        {
            _aesGcm!.Decrypt(nonce, data, tag, data, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>RFC 3711 §4.1.1: IV = salt·2^16 XOR SSRC·2^64 XOR index·2^16.</summary>
    private void CounterIv(Span<byte> iv, uint ssrc, ulong index)
    {
        iv.Clear();
        _salt.AsSpan(0, Math.Min(14, _salt.Length)).CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (int i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        }
    }

    /// <summary>RFC 7714 §8.1: IV = (0x0000 | SSRC | ROC | SEQ) XOR salt.</summary>
    private void RtpNonce(Span<byte> nonce, uint ssrc, uint roc, ushort sequence)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], roc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], sequence);
        XorSalt(nonce);
    }

    /// <summary>RFC 7714 §9.1: IV = (0x0000 | SSRC | 0x0000 | 0 | SRTCP index) XOR salt.</summary>
    private void RtcpNonce(Span<byte> nonce, uint ssrc, uint index)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
        XorSalt(nonce);
    }

    private void XorSalt(Span<byte> nonce)
    {
        for (int i = 0; i < 12; i++)
        {
            nonce[i] ^= _salt[i];
        }
    }

    /// <summary>RFC 3711 §4.2: HMAC-SHA1 over the packet and the rollover counter, truncated to 80 bits.</summary>
    private void RtpTag(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _hmac!.AppendData(authenticated);
        _hmac.AppendData(rocBytes);
        Finish(tag);
    }

    private void Tag(ReadOnlySpan<byte> authenticated, Span<byte> tag)
    {
        _hmac!.AppendData(authenticated);
        Finish(tag);
    }

    private void Finish(Span<byte> tag)
    {
        Span<byte> full = stackalloc byte[20];
        _hmac!.GetHashAndReset(full);
        full[..HmacTagLength].CopyTo(tag);
    }
}
