using System.Buffers.Binary;

namespace MediaServer.Fuzzing.Tests.Rtp;

/// <summary>
/// An RTP packet laid out by hand from RFC 3550 §5.1 and §5.3.1, independently of the parser under
/// test: V=2, P, X, CC, M, PT, sequence number, timestamp, SSRC, CSRCs, extension, payload, padding.
/// </summary>
internal sealed record RtpPacket(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc,
    uint[] Csrcs, byte[]? Extension, byte[] Payload, int Padding)
{
    public byte[] ToBytes()
    {
        int extensionLength = Extension is null ? 0 : 4 + Extension.Length;
        byte[] packet = new byte[12 + (Csrcs.Length * 4) + extensionLength + Payload.Length + Padding];
        packet[0] = (byte)(0x80 | (Padding > 0 ? 0x20 : 0) | (Extension is null ? 0 : 0x10) | Csrcs.Length);
        packet[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
        int offset = 12;
        foreach (uint csrc in Csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), csrc);
            offset += 4;
        }

        if (Extension is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)(Extension.Length / 4));
            Extension.CopyTo(packet.AsSpan(offset + 4));
            offset += 4 + Extension.Length;
        }

        Payload.CopyTo(packet.AsSpan(offset));
        if (Padding > 0)
        {
            packet[^1] = (byte)Padding;
        }

        return packet;
    }

    public int HeaderLength => 12 + (Csrcs.Length * 4) + (Extension is null ? 0 : 4 + Extension.Length);

    public static Gen<RtpPacket> Gen { get; } =
        CsCheck.Gen.Select(CsCheck.Gen.Bool, CsCheck.Gen.Byte[0, 127], CsCheck.Gen.UShort, CsCheck.Gen.UInt, CsCheck.Gen.UInt,
                CsCheck.Gen.UInt.Array[0, 15], CsCheck.Gen.Int[-1, 6], CsCheck.Gen.Byte.Array[0, 200])
            .SelectMany((marker, pt, seq, ts, ssrc, csrcs, extensionWords, payload) =>
                CsCheck.Gen.Select(CsCheck.Gen.Byte.Array[Math.Max(0, extensionWords) * 4], CsCheck.Gen.Int[0, 255], (extension, padding) =>
                    new RtpPacket(marker, pt, seq, ts, ssrc, csrcs, extensionWords < 0 ? null : extension, payload, padding)));
}
