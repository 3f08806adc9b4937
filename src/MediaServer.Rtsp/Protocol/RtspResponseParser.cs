using System.Buffers;
using System.Globalization;
using System.Text;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Parses RTSP/1.0 responses (RFC 2326 §7) a camera sends the pull client, from the connection's
/// receive buffer, into an <see cref="RtspResponse"/>. Bounded by <see cref="RtspLimits"/> as the
/// request parser is; bad input is reported as an error text, never thrown. Responses are control
/// traffic (a handful per session), so clarity wins over avoiding allocations here.
/// </summary>
public sealed class RtspResponseParser
{
    private static readonly byte[] Version = "RTSP/1.0 "u8.ToArray();
    private readonly RtspLimits _limits;

    public RtspResponseParser(RtspLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    /// <summary>
    /// Tries to parse one response from the start of <paramref name="buffer"/>. Complete: the
    /// response is filled and <paramref name="buffer"/> sliced past it. Incomplete: nothing is
    /// consumed. Rejected: <paramref name="error"/> says what is wrong; the connection cannot be trusted.
    /// </summary>
    public RtspParseStatus TryParse(ref ReadOnlySequence<byte> buffer, RtspResponse response, out string? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        error = null;
        int maxHead = _limits.MaxRequestLineLength + _limits.MaxHeaderBytes;

        // Refuse what is not a response at its first bytes instead of buffering up to the limit.
        int prefix = (int)Math.Min(buffer.Length, Version.Length);
        Span<byte> start = stackalloc byte[Version.Length];
        buffer.Slice(0, prefix).CopyTo(start);
        if (!start[..prefix].SequenceEqual(Version.AsSpan(0, prefix)))
        {
            error = "not an RTSP/1.0 response";
            return RtspParseStatus.Rejected;
        }

        long headEnd = FindHeadEnd(buffer, maxHead);
        if (headEnd == -2)
        {
            error = $"the response head is longer than {maxHead} bytes";
            return RtspParseStatus.Rejected;
        }

        if (headEnd < 0)
        {
            return RtspParseStatus.Incomplete;
        }

        response.Reset();
        response.Server = null;
        string head = Encoding.UTF8.GetString(buffer.Slice(0, headEnd));
        if (!TryParseHead(head, response, out int contentLength, out error))
        {
            return RtspParseStatus.Rejected;
        }

        if (contentLength > _limits.MaxBodyLength)
        {
            error = $"Content-Length {contentLength} is over the limit of {_limits.MaxBodyLength}";
            return RtspParseStatus.Rejected;
        }

        if (buffer.Length < headEnd + contentLength)
        {
            return RtspParseStatus.Incomplete;
        }

        if (contentLength > 0)
        {
            response.Body = buffer.Slice(headEnd, contentLength).ToArray();
        }

        buffer = buffer.Slice(headEnd + contentLength);
        return RtspParseStatus.Complete;
    }

    /// <summary>The offset just past the empty line ending the head; -1 when not there yet, -2 when over the limit.</summary>
    private static long FindHeadEnd(in ReadOnlySequence<byte> buffer, int maxHead)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.Consumed > maxHead)
            {
                return -2;
            }

            // An empty line (CRLF or a bare LF) ends the head.
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                return reader.Consumed;
            }
        }

        return buffer.Length > maxHead ? -2 : -1;
    }

    private static bool TryParseHead(string head, RtspResponse response, out int contentLength, out string? error)
    {
        contentLength = 0;
        string[] lines = head.Split('\n');
        string statusLine = lines[0].TrimEnd('\r');

        // RTSP/1.0 SP Status-Code SP Reason-Phrase; some cameras omit the reason phrase.
        ReadOnlySpan<char> rest = statusLine.AsSpan(Version.Length);
        int space = rest.IndexOf(' ');
        ReadOnlySpan<char> code = space < 0 ? rest : rest[..space];
        if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
        {
            error = $"malformed status line '{statusLine}'";
            return false;
        }

        response.StatusCode = status;
        response.ReasonPhrase = space < 0 ? string.Empty : rest[(space + 1)..].ToString();
        string? lastName = null;
        int count = 0;
        foreach (string raw in lines.AsSpan(1))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                // An obsolete folded continuation of the previous field.
                if (lastName is null)
                {
                    error = "a continuation line before any header";
                    return false;
                }

                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line.AsSpan(0, colon)))
            {
                error = $"malformed header line '{line}'";
                return false;
            }

            if (++count > 256)
            {
                error = "too many headers";
                return false;
            }

            string name = line[..colon];
            string value = line[(colon + 1)..].Trim(' ', '\t');
            lastName = name;
            if (!TryApply(name, value, response, ref contentLength, out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool TryApply(string name, string value, RtspResponse response, ref int contentLength, out string? error)
    {
        error = null;
        if (name.Equals(RtspHeaderNames.CSeq, StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int cseq))
            {
                error = $"CSeq '{value}' is not a number";
                return false;
            }

            response.CSeq = cseq;
        }
        else if (name.Equals(RtspHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength))
            {
                error = $"Content-Length '{value}' is not a number";
                return false;
            }
        }
        else if (name.Equals(RtspHeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = value;
        }
        else if (name.Equals(RtspHeaderNames.Server, StringComparison.OrdinalIgnoreCase))
        {
            response.Server = value;
        }
        else
        {
            response.Headers.Add(name, value);
        }

        return true;
    }

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c > 0x7E || !RtspSyntax.IsTokenChar((byte)c))
            {
                return false;
            }
        }

        return true;
    }
}
