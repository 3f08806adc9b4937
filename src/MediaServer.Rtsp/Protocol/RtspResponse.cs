using System.Buffers;
using System.Text;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// An RTSP response being built (RFC 2326 §7). Like <see cref="RtspRequest"/> it is kept per
/// connection and <see cref="Reset"/> between responses, and it serialises straight into the
/// connection's PipeWriter.
/// </summary>
public sealed class RtspResponse
{
    /// <summary>The Server header value sent unless changed; null on an instance omits the header.</summary>
    public const string DefaultServer = "MediaServer";

    public RtspResponse() => Reset();

    public int StatusCode { get; set; }

    /// <summary><see cref="StatusCode"/> by its name.</summary>
    public RtspStatusCode Status
    {
        get => (RtspStatusCode)StatusCode;
        set => StatusCode = (int)value;
    }

    /// <summary>A reason phrase to send instead of the standard one for <see cref="StatusCode"/>.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>The request's CSeq to echo; below zero (the request had none) the header is left out.</summary>
    public int CSeq { get; set; }

    /// <summary>
    /// Headers other than CSeq, Server, Content-Type and Content-Length, which
    /// <see cref="WriteTo"/> writes itself from the properties. Added through <see cref="AddHeader"/>.
    /// </summary>
    public RtspHeaders Headers { get; } = new();

    public string? Server { get; set; }

    /// <summary>The body. The response does not copy it: the memory must stay valid until <see cref="WriteTo"/>.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Content-Type of <see cref="Body"/>, e.g. "application/sdp"; written only with a body.</summary>
    public string? ContentType { get; set; }

    /// <summary>Back to "200 OK, no headers, no body" for the next response.</summary>
    public void Reset()
    {
        StatusCode = (int)RtspStatusCode.Ok;
        ReasonPhrase = null;
        CSeq = -1;
        Headers.Clear();
        Server = DefaultServer;
        Body = ReadOnlyMemory<byte>.Empty;
        ContentType = null;
    }

    /// <summary>
    /// Adds a header. CSeq, Server, Content-Type and Content-Length are refused because
    /// <see cref="WriteTo"/> writes them from the properties, and a second Content-Length would
    /// break the framing. A CR or LF would let whoever supplied the text inject headers or a
    /// whole response, so it is refused too; values parsed from requests never hold one.
    /// </summary>
    public void AddHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in name)
        {
            if (c > 0x7E || !RtspSyntax.IsTokenChar((byte)c))
            {
                throw new ArgumentException($"'{name}' is not a valid header name.", nameof(name));
            }
        }

        if (IsWrittenFromProperties(name))
        {
            throw new ArgumentException($"Set {name} through its property, not as a header.", nameof(name));
        }

        if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            throw new ArgumentException("Header values may not contain CR, LF or NUL.", nameof(value));
        }

        Headers.Add(name, value);
    }

    /// <summary>Sets an SDP or other body with its content type.</summary>
    public void SetBody(ReadOnlyMemory<byte> body, string contentType)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        Body = body;
        ContentType = contentType;
    }

    /// <summary>
    /// Writes the status line, headers, blank line and body:
    /// "RTSP/1.0 200 OK\r\nCSeq: n\r\n...Server: MediaServer\r\nContent-Length: ...\r\n\r\nbody".
    /// </summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteAscii(output, "RTSP/1.0 ");
        WriteNumber(output, StatusCode);
        WriteAscii(output, " ");
        WriteText(output, ReasonPhrase ?? RtspStatusCodes.ReasonPhrase(StatusCode));
        WriteAscii(output, "\r\n");

        // CSeq first: it is what clients match responses by, and reading it first is what they expect.
        if (CSeq >= 0)
        {
            WriteAscii(output, "CSeq: ");
            WriteNumber(output, CSeq);
            WriteAscii(output, "\r\n");
        }

        foreach ((string name, string value) in Headers)
        {
            WriteHeader(output, name, value);
        }

        if (Server is not null)
        {
            WriteHeader(output, RtspHeaderNames.Server, Server);
        }

        if (!Body.IsEmpty)
        {
            if (ContentType is not null)
            {
                WriteHeader(output, RtspHeaderNames.ContentType, ContentType);
            }

            // Always sent with a body: RTSP has no chunked encoding, so it is the only framing.
            WriteAscii(output, "Content-Length: ");
            WriteNumber(output, Body.Length);
            WriteAscii(output, "\r\n");
        }

        WriteAscii(output, "\r\n");
        if (!Body.IsEmpty)
        {
            output.Write(Body.Span);
        }
    }

    public override string ToString()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsWrittenFromProperties(string name) =>
        name.Equals(RtspHeaderNames.CSeq, StringComparison.OrdinalIgnoreCase)
        || name.Equals(RtspHeaderNames.Server, StringComparison.OrdinalIgnoreCase)
        || name.Equals(RtspHeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)
        || name.Equals(RtspHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);

    private static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        WriteText(output, name);
        WriteAscii(output, ": ");
        WriteText(output, value);
        WriteAscii(output, "\r\n");
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length);
        int written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    private static void WriteText(IBufferWriter<byte> output, string text)
    {
        // Values are almost always ASCII; UTF-8 covers the rest (RFC 2326 §1.3: ISO 10646 in UTF-8).
        Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        int written = Encoding.UTF8.GetBytes(text, span);
        output.Advance(written);
    }

    private static void WriteNumber(IBufferWriter<byte> output, int number)
    {
        Span<byte> span = output.GetSpan(11);
        number.TryFormat(span, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
