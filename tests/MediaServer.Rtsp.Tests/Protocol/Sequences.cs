using System.Buffers;
using System.Text;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>Builds byte sequences for parser tests, whole or cut into segments.</summary>
internal static class Sequences
{
    /// <summary>Request text written with "\n" line ends, sent with CRLF as clients do.</summary>
    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    public static ReadOnlySequence<byte> Single(byte[] data) => new(data);

    /// <summary>Cuts <paramref name="data"/> at the given offsets into separate segments (copies, so no segment shares memory with another).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] cuts)
    {
        var parts = new List<byte[]>();
        int start = 0;
        foreach (int cut in cuts)
        {
            parts.Add(data[start..cut]);
            start = cut;
        }

        parts.Add(data[start..]);
        return FromParts(parts);
    }

    /// <summary>Every byte in its own segment: the worst case a reader of sequences must handle.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var parts = new List<byte[]>(data.Length);
        foreach (byte b in data)
        {
            parts.Add([b]);
        }

        return FromParts(parts);
    }

    public static ReadOnlySequence<byte> FromParts(IReadOnlyList<byte[]> parts)
    {
        if (parts.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(parts[0]);
        TestSegment last = first;
        for (int i = 1; i < parts.Count; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
