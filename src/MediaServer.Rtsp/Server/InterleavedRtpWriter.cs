using System.Buffers;
using System.Buffers.Binary;
using MediaServer.Media.Rtp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Writes one RTP packet as an interleaved frame, rewriting sequence number and SSRC for the
/// reader on the way: one copy, straight into the connection's output buffer.
/// </summary>
internal static class InterleavedRtpWriter
{
    public static void Write(IBufferWriter<byte> output, int channel, ReadOnlySpan<byte> rtp, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        Span<byte> frame = output.GetSpan(4 + rtp.Length);
        frame[0] = (byte)'$';
        frame[1] = (byte)channel;
        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(2, 2), (ushort)rtp.Length);
        Span<byte> packet = frame.Slice(4, rtp.Length);
        rtp.CopyTo(packet);
        RtpHeader.Rewrite(packet, sequenceNumber, timestamp, ssrc);
        output.Advance(4 + rtp.Length);
    }
}
