using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// One direction of SRTP and SRTCP (RFC 3711, RFC 7714) for every SSRC of a session: session
/// keys derived once from the DTLS-exported master key and salt; packets protected and
/// unprotected in place, with rollover counters, replay windows and SRTCP indices per SSRC.
/// Allocation-free per packet. Not thread-safe: one context per direction, one caller at a time.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private const int HmacTagLength = 10;
    private const int GcmTagLength = 16;
    private const int SrtcpIndexLength = 4;

    private readonly Dictionary<uint, SrtpStreamState> _streams = [];
    private readonly SrtpCipher _rtp;
    private readonly SrtpCipher _rtcp;
    private SrtpStreamState? _last;

    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Profile = profile;
        int saltLength = profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;
        int authLength = profile == SrtpProfile.AeadAes128Gcm ? 0 : 20;
        _rtp = new SrtpCipher(
            profile,
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, 16),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, saltLength),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, authLength));
        _rtcp = new SrtpCipher(
            profile,
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, 16),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, saltLength),
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpAuthentication, authLength));
    }

    private SrtpContext(SrtpProfile profile, SrtpCipher rtp, SrtpCipher rtcp)
    {
        Profile = profile;
        _rtp = rtp;
        _rtcp = rtcp;
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes <see cref="ProtectRtp"/> adds: the room a buffer needs after the packet.</summary>
    public int RtpOverhead => Profile == SrtpProfile.AeadAes128Gcm ? GcmTagLength : HmacTagLength;

    /// <summary>Bytes <see cref="ProtectRtcp"/> adds.</summary>
    public int RtcpOverhead => SrtcpIndexLength + RtpOverhead;

    /// <summary>Tests: a context from session keys directly, as the RFC 7714 vectors give them.</summary>
    internal static SrtpContext FromSessionKeys(SrtpProfile profile, byte[] key, byte[] salt, byte[]? authKey = null) =>
        new(profile, new SrtpCipher(profile, key, salt, authKey ?? []), new SrtpCipher(profile, key, salt, authKey ?? []));

    /// <summary>Encrypts and authenticates the RTP packet in <paramref name="packet"/>[..length]; returns the SRTP length.</summary>
    public int ProtectRtp(Span<byte> packet, int length)
    {
        int header = RtpHeaderLength(packet[..length]);
        if (header < 0 || packet.Length < length + RtpOverhead)
        {
            throw new ArgumentException("Not an RTP packet, or no room for the SRTP tag.", nameof(packet));
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        SrtpStreamState state = Stream(ssrc);
        uint roc = state.EstimateRolloverCounter(sequence);
        state.Update(sequence, roc);
        return _rtp.ProtectRtp(packet, header, length, ssrc, roc, sequence);
    }

    /// <summary>Authenticates, replay-checks and decrypts an SRTP packet in place.</summary>
    public SrtpError UnprotectRtp(Span<byte> packet, int length, out int plainLength)
    {
        plainLength = 0;
        int tag = RtpOverhead;
        int header = RtpHeaderLength(packet[..length]);
        if (header < 0 || length < header + tag)
        {
            return header < 0 ? SrtpError.MalformedHeader : SrtpError.TooShort;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

        // State for an SSRC is created only once one of its packets authenticates, so forged
        // packets cannot fill the table.
        SrtpStreamState? state = Find(ssrc);
        uint roc = state?.EstimateRolloverCounter(sequence) ?? 0;
        ulong index = ((ulong)roc << 16) | sequence;
        SrtpError replay = state?.RtpWindow.Check(index) ?? SrtpError.None;
        if (replay != SrtpError.None)
        {
            return replay;
        }

        if (!_rtp.UnprotectRtp(packet, header, length, ssrc, roc, sequence))
        {
            return SrtpError.AuthenticationFailed;
        }

        state ??= Stream(ssrc);
        state.RtpWindow.Accept(index);
        state.Update(sequence, roc);
        plainLength = length - tag;
        return SrtpError.None;
    }

    /// <summary>Encrypts and authenticates a (compound) RTCP packet in place; returns the SRTCP length.</summary>
    public int ProtectRtcp(Span<byte> packet, int length)
    {
        if (length < 8 || packet.Length < length + RtcpOverhead)
        {
            throw new ArgumentException("Not an RTCP packet, or no room for the SRTCP trailer.", nameof(packet));
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        SrtpStreamState state = Stream(ssrc);
        uint index = state.NextSrtcpIndex;
        state.NextSrtcpIndex = (index + 1) & 0x7FFFFFFF;
        return _rtcp.ProtectRtcp(packet, length, ssrc, index);
    }

    /// <summary>Authenticates, replay-checks and (if its E flag says so) decrypts an SRTCP packet in place.</summary>
    public SrtpError UnprotectRtcp(Span<byte> packet, int length, out int plainLength)
    {
        plainLength = 0;
        if (length < 8 + RtcpOverhead)
        {
            return SrtpError.TooShort;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        SrtpStreamState? state = Find(ssrc);
        int indexOffset = Profile == SrtpProfile.AeadAes128Gcm ? length - SrtcpIndexLength : length - HmacTagLength - SrtcpIndexLength;
        uint index = BinaryPrimitives.ReadUInt32BigEndian(packet[indexOffset..]) & 0x7FFFFFFF;
        SrtpError replay = state?.RtcpWindow.Check(index) ?? SrtpError.None;
        if (replay != SrtpError.None)
        {
            return replay;
        }

        if (!_rtcp.UnprotectRtcp(packet, length, ssrc, out plainLength))
        {
            return SrtpError.AuthenticationFailed;
        }

        (state ?? Stream(ssrc)).RtcpWindow.Accept(index);
        return SrtpError.None;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    /// <summary>Tests: the per-SSRC state, e.g. to start near a rollover.</summary>
    internal SrtpStreamState StreamState(uint ssrc) => Stream(ssrc);

    private SrtpStreamState? Find(uint ssrc)
    {
        SrtpStreamState? last = _last;
        return last is not null && last.Ssrc == ssrc ? last
            : _streams.TryGetValue(ssrc, out SrtpStreamState? state) ? state
            : null;
    }

    private SrtpStreamState Stream(uint ssrc)
    {
        SrtpStreamState? last = _last;
        if (last is not null && last.Ssrc == ssrc)
        {
            return last;
        }

        if (!_streams.TryGetValue(ssrc, out SrtpStreamState? state))
        {
            state = new SrtpStreamState(ssrc);
            _streams[ssrc] = state;
        }

        _last = state;
        return state;
    }

    /// <summary>12 bytes, the CSRCs, and the header extension; -1 if the packet cannot hold them.</summary>
    private static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return -1;
        }

        int length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return -1;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return length <= packet.Length ? length : -1;
    }
}
