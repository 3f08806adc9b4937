using System.Buffers;
using System.Globalization;
using System.Text;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Writes an RTSP/1.0 request (RFC 2326 §6) as the pull client sends it:
/// "METHOD uri RTSP/1.0", CSeq first, the given headers, then Content-Length with a body.
/// </summary>
public static class RtspRequestWriter
{
    public static void Write(
        IBufferWriter<byte> output, string method, string uri, int cseq,
        IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        CheckText(method, nameof(method));
        CheckText(uri, nameof(uri));
        var text = new StringBuilder(256);
        text.Append(method).Append(' ').Append(uri).Append(" RTSP/1.0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"CSeq: {cseq}\r\n");
        foreach ((string name, string value) in headers)
        {
            CheckText(name, nameof(headers));
            CheckText(value, nameof(headers));
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!body.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        text.Append("\r\n");
        string head = text.ToString();
        Span<byte> destination = output.GetSpan(Encoding.UTF8.GetMaxByteCount(head.Length));
        output.Advance(Encoding.UTF8.GetBytes(head, destination));
        if (!body.IsEmpty)
        {
            output.Write(body);
        }
    }

    /// <summary>A CR, LF or NUL in any part would let whoever chose it (a URL, a camera's nonce) inject headers.</summary>
    private static void CheckText(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text, parameter);
        if (text.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            throw new ArgumentException("RTSP request parts may not contain CR, LF or NUL.", parameter);
        }
    }
}
