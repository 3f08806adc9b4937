using System.Buffers.Binary;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>One interleaved frame (RFC 2326 10.12) as <see cref="RawRtspClient"/> read it: channel and RTP packet.</summary>
internal sealed record InterleavedFrame(byte Channel, byte[] Data)
{
    public ushort Sequence => BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(2));

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan(4));
}
