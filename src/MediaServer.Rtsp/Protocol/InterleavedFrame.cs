using System.Buffers;
using System.Buffers.Binary;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// RTP/RTCP packets carried inside the RTSP TCP connection (RFC 2326 §10.12):
/// '$', a one-byte channel id, a two-byte big-endian length, then that many bytes.
/// This is the per-packet path of TCP ingest and egress, so reading allocates nothing and
/// hands the payload back as a slice of the receive buffer.
/// </summary>
public static class InterleavedFrame
{
    /// <summary>The '$' that starts every frame; RTSP messages never start with it.</summary>
    public const byte Magic = 0x24;

    /// <summary>Magic, channel and the 16-bit length.</summary>
    public const int HeaderLength = 4;

    /// <summary>The most the 16-bit length field can carry.</summary>
    public const int MaxPayloadLength = ushort.MaxValue;

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/> and, when complete, slices
    /// <paramref name="buffer"/> past it. <paramref name="payload"/> aliases the buffer, so it is
    /// valid only until the caller advances its PipeReader.
    /// </summary>
    public static InterleavedReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out byte channel, out ReadOnlySequence<byte> payload) =>
        TryRead(ref buffer, MaxPayloadLength, out channel, out payload);

    /// <summary>
    /// As <see cref="TryRead(ref ReadOnlySequence{byte}, out byte, out ReadOnlySequence{byte})"/>,
    /// but reports <see cref="InterleavedReadStatus.FrameTooLarge"/> for a payload longer than
    /// <paramref name="maxPayloadLength"/> (typically <see cref="RtspLimits.MaxInterleavedFrameLength"/>)
    /// as soon as the header is in, before any of the payload is buffered.
    /// </summary>
    public static InterleavedReadStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, out byte channel, out ReadOnlySequence<byte> payload)
    {
        channel = 0;
        payload = default;

        // The header is tiny and may straddle a segment boundary; copying it to the stack is
        // cheaper and simpler than walking segments.
        Span<byte> header = stackalloc byte[HeaderLength];
        int available = (int)Math.Min(buffer.Length, HeaderLength);
        if (available == 0)
        {
            return InterleavedReadStatus.Incomplete;
        }

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= available)
        {
            first[..available].CopyTo(header);
        }
        else
        {
            buffer.Slice(0, available).CopyTo(header);
        }

        if (header[0] != Magic)
        {
            return InterleavedReadStatus.NotAFrame;
        }

        if (available < HeaderLength)
        {
            return InterleavedReadStatus.Incomplete;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (length > maxPayloadLength)
        {
            return InterleavedReadStatus.FrameTooLarge;
        }

        if (buffer.Length < HeaderLength + length)
        {
            return InterleavedReadStatus.Incomplete;
        }

        channel = header[1];
        payload = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(payload.End);
        return InterleavedReadStatus.Complete;
    }

    /// <summary>Writes a whole frame. A payload over 65535 bytes cannot be framed; passing one is a programming error.</summary>
    public static void Write(IBufferWriter<byte> writer, byte channel, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayloadLength, nameof(payload));

        // One GetSpan for header and payload keeps the frame contiguous and costs one Advance.
        int total = HeaderLength + payload.Length;
        Span<byte> destination = writer.GetSpan(total);
        WriteHeader(destination, channel, payload.Length);
        payload.CopyTo(destination[HeaderLength..]);
        writer.Advance(total);
    }

    /// <summary>
    /// Writes just the 4-byte header, for callers that place the payload themselves (for example
    /// an RTP packet serialised directly after it in the output buffer).
    /// </summary>
    public static void WriteHeader(Span<byte> destination, byte channel, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderLength, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxPayloadLength);
        destination[0] = Magic;
        destination[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }
}
