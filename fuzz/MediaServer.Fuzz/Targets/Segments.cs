using System.Buffers;

namespace MediaServer.Fuzz;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the shape a PipeReader hands out when
/// data arrives in pieces, so parsers are exercised across segment boundaries too.
/// </summary>
public static class Segments
{
    /// <summary><paramref name="bytes"/>[start..end] cut into segments of 1 to 7 bytes.</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, int start, int end)
    {
        if (end - start <= 1)
        {
            return new ReadOnlySequence<byte>(bytes, start, end - start);
        }

        Segment? first = null;
        Segment? last = null;
        int at = start;
        while (at < end)
        {
            int size = Math.Min(end - at, 1 + (at % 7));
            var segment = new Segment(bytes.AsMemory(at, size), last);
            first ??= segment;
            last = segment;
            at += size;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
