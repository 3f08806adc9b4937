using System.Buffers;
using System.Text;
using System.Text.Unicode;
using static MediaServer.Rtsp.Protocol.RtspSyntax;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Parses RTSP/1.0 requests (RFC 2326 §6) out of a connection's receive buffer. Modelled on
/// Kestrel's HttpParser: it reads straight from the <see cref="ReadOnlySequence{T}"/> the
/// PipeReader hands out, bounds everything by <see cref="RtspLimits"/>, and reports bad input as
/// a <see cref="RtspRejectionReason"/> instead of throwing. One instance may serve many
/// connections: all per-request state lives on the <see cref="RtspRequest"/>.
/// </summary>
public sealed class RtspRequestParser
{
    private readonly RtspLimits _limits;

    public RtspRequestParser(RtspLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    public RtspLimits Limits => _limits;

    /// <summary>
    /// Tries to parse one request from the start of <paramref name="buffer"/>.
    /// <list type="bullet">
    /// <item><see cref="RtspParseStatus.Complete"/>: <paramref name="request"/> holds the request and
    /// <paramref name="buffer"/> is sliced past it (header section and Content-Length body), so a
    /// loop can parse pipelined requests.</item>
    /// <item><see cref="RtspParseStatus.Incomplete"/>: nothing is consumed; call again with the same
    /// request and the same buffer start plus more bytes (what PipeReader gives after
    /// <c>AdvanceTo(buffer.Start, buffer.End)</c>). The request remembers how far it scanned, so
    /// bytes are not rescanned; a fresh or <see cref="RtspRequest.Reset"/> request simply starts over.</item>
    /// <item><see cref="RtspParseStatus.Rejected"/>: the connection is no longer framed
    /// trustworthily; answer <see cref="RtspRejection.StatusCode"/> and close. The request keeps
    /// what was parsed before the fault (often the CSeq the answer should carry).</item>
    /// </list>
    /// </summary>
    public RtspParseStatus TryParseRequest(ref ReadOnlySequence<byte> buffer, RtspRequest request, out RtspRejectionReason rejection)
    {
        ArgumentNullException.ThrowIfNull(request);
        rejection = RtspRejectionReason.None;
        ref RtspParseProgress progress = ref request.Progress;

        // Progress beyond the end of this buffer cannot belong to it: start over rather than trust it.
        if (progress.ScanOffset > buffer.Length || (progress.HeadersParsed && progress.HeaderSectionEnd > buffer.Length))
        {
            progress = default;
        }

        if (!progress.HeadersParsed)
        {
            RtspParseStatus scan = ScanHeaderSection(buffer, ref progress, out rejection);
            if (scan != RtspParseStatus.Complete)
            {
                if (scan == RtspParseStatus.Rejected)
                {
                    progress = default;
                }

                return scan;
            }

            request.ClearContent();
            ReadOnlySequence<byte> section = buffer.Slice(
                progress.RequestLineStart, progress.HeaderSectionEnd - progress.RequestLineStart);
            rejection = ParseHeaderSection(section, request, out long bodyLength);
            if (rejection != RtspRejectionReason.None)
            {
                progress = default;
                return RtspParseStatus.Rejected;
            }

            progress.HeadersParsed = true;
            progress.BodyLength = bodyLength;
            progress.ScanOffset = progress.HeaderSectionEnd;
        }

        long end = progress.HeaderSectionEnd + progress.BodyLength;
        if (buffer.Length < end)
        {
            return RtspParseStatus.Incomplete;
        }

        request.SetBody(buffer.Slice(progress.HeaderSectionEnd, progress.BodyLength));
        buffer = buffer.Slice(end);
        progress = default;
        return RtspParseStatus.Complete;
    }

    /// <summary>
    /// Finds the end of the header section line by line, enforcing the size limits as bytes
    /// arrive: an unterminated request line or header section is rejected as soon as it is
    /// longer than allowed, so a peer cannot make us buffer without bound.
    /// </summary>
    private RtspParseStatus ScanHeaderSection(in ReadOnlySequence<byte> buffer, ref RtspParseProgress progress, out RtspRejectionReason rejection)
    {
        rejection = RtspRejectionReason.None;
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(progress.ScanOffset);

        while (true)
        {
            long lineStart = reader.Consumed;
            if (!reader.TryPeek(out byte first))
            {
                progress.ScanOffset = lineStart;
                return CheckUnterminated(buffer.Length, ref progress, out rejection);
            }

            // Refuse binary garbage (or a misrouted '$' interleaved frame) at its first byte
            // instead of buffering up to the request line limit looking for a line end.
            if (!progress.SawRequestLine && first != CR && first != LF && (first == (byte)'$' || !IsTokenChar(first)))
            {
                rejection = RtspRejectionReason.InvalidRequestLine;
                return RtspParseStatus.Rejected;
            }

            if (!reader.TryAdvanceTo(LF, advancePastDelimiter: true))
            {
                progress.ScanOffset = lineStart;
                return CheckUnterminated(buffer.Length, ref progress, out rejection);
            }

            long lineEnd = reader.Consumed;
            long lengthBeforeLf = lineEnd - 1 - lineStart;
            bool empty = lengthBeforeLf == 0 || (lengthBeforeLf == 1 && first == CR);

            if (!progress.SawRequestLine)
            {
                if (lineEnd - 1 > _limits.MaxRequestLineLength)
                {
                    rejection = RtspRejectionReason.RequestLineTooLong;
                    return RtspParseStatus.Rejected;
                }

                // RFC 2616 §4.1, which RTSP follows: ignore empty lines before a request line
                // (some clients send a stray CRLF after a body).
                if (!empty)
                {
                    progress.SawRequestLine = true;
                    progress.RequestLineStart = lineStart;
                    progress.HeadersStart = lineEnd;
                }

                continue;
            }

            if (lineEnd - progress.HeadersStart > _limits.MaxHeaderBytes)
            {
                rejection = RtspRejectionReason.HeadersTooLarge;
                return RtspParseStatus.Rejected;
            }

            if (empty)
            {
                progress.HeaderSectionEnd = lineEnd;
                return RtspParseStatus.Complete;
            }

            if (++progress.HeaderCount > _limits.MaxHeaderCount)
            {
                rejection = RtspRejectionReason.TooManyHeaders;
                return RtspParseStatus.Rejected;
            }
        }
    }

    private RtspParseStatus CheckUnterminated(long buffered, ref RtspParseProgress progress, out RtspRejectionReason rejection)
    {
        // Everything buffered past the last line end belongs to the unterminated line, so once
        // that alone breaks a limit, no later byte can make the request acceptable.
        if (!progress.SawRequestLine)
        {
            rejection = buffered > _limits.MaxRequestLineLength
                ? RtspRejectionReason.RequestLineTooLong
                : RtspRejectionReason.None;
        }
        else
        {
            rejection = buffered - progress.HeadersStart > _limits.MaxHeaderBytes
                ? RtspRejectionReason.HeadersTooLarge
                : RtspRejectionReason.None;
        }

        return rejection == RtspRejectionReason.None ? RtspParseStatus.Incomplete : RtspParseStatus.Rejected;
    }

    /// <summary>Parses the request line and header fields, which the scan has proved complete and within limits.</summary>
    private RtspRejectionReason ParseHeaderSection(in ReadOnlySequence<byte> section, RtspRequest request, out long bodyLength)
    {
        if (section.IsSingleSegment)
        {
            return ParseHeaderSection(section.FirstSpan, request, out bodyLength);
        }

        // A section spread over pipe segments is copied once into a pooled array so the line
        // parsing below works on one span; its size is bounded by the limits.
        int length = checked((int)section.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            section.CopyTo(rented);
            return ParseHeaderSection(rented.AsSpan(0, length), request, out bodyLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private RtspRejectionReason ParseHeaderSection(ReadOnlySpan<byte> section, RtspRequest request, out long bodyLength)
    {
        bodyLength = 0;
        int lf = section.IndexOf(LF);
        RtspRejectionReason rejection = ParseRequestLine(TrimCr(section[..lf]), request);
        if (rejection != RtspRejectionReason.None)
        {
            return rejection;
        }

        section = section[(lf + 1)..];
        long contentLength = -1;
        bool sawCSeq = false;

        // Content-Length faults are reported after the remaining fields are read, so that the
        // error response can still echo a CSeq that follows Content-Length.
        RtspRejectionReason contentLengthFault = RtspRejectionReason.None;

        while (true)
        {
            lf = section.IndexOf(LF);
            ReadOnlySpan<byte> line = TrimCr(section[..lf]);
            section = section[(lf + 1)..];
            if (line.IsEmpty)
            {
                break;
            }

            if (!TrySplitHeader(line, out ReadOnlySpan<byte> nameBytes, out ReadOnlySpan<byte> valueBytes))
            {
                return RtspRejectionReason.InvalidHeader;
            }

            string name = RtspHeaderNames.FindKnown(nameBytes) ?? Encoding.ASCII.GetString(nameBytes);
            request.AddHeader(name, valueBytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(valueBytes));

            if (!sawCSeq && string.Equals(name, RtspHeaderNames.CSeq, StringComparison.OrdinalIgnoreCase))
            {
                // A missing or malformed CSeq is the session layer's to answer (with 400), not a
                // framing fault, so it only leaves CSeq at -1.
                sawCSeq = true;
                request.SetCSeq(TryParseDecimal(valueBytes, out long cseq) && cseq <= int.MaxValue ? (int)cseq : -1);
            }
            else if (string.Equals(name, RtspHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                // Two different lengths make the body boundary ambiguous: the classic request
                // smuggling setup, so it is refused rather than resolved either way.
                if (!TryParseDecimal(valueBytes, out long parsed) || (contentLength >= 0 && parsed != contentLength))
                {
                    if (contentLengthFault == RtspRejectionReason.None)
                    {
                        contentLengthFault = RtspRejectionReason.InvalidContentLength;
                    }
                }
                else
                {
                    contentLength = parsed;
                }
            }
        }

        if (contentLengthFault != RtspRejectionReason.None)
        {
            return contentLengthFault;
        }

        if (contentLength > _limits.MaxBodyLength)
        {
            return RtspRejectionReason.BodyTooLarge;
        }

        // RFC 2326 §4.3: a request without Content-Length has no body.
        bodyLength = Math.Max(contentLength, 0);
        return RtspRejectionReason.None;
    }

    /// <summary>Request-Line = Method SP Request-URI SP RTSP-Version (RFC 2326 §6.1).</summary>
    private static RtspRejectionReason ParseRequestLine(ReadOnlySpan<byte> line, RtspRequest request)
    {
        int firstSpace = line.IndexOf(SP);
        if (firstSpace <= 0)
        {
            return RtspRejectionReason.InvalidRequestLine;
        }

        ReadOnlySpan<byte> methodToken = line[..firstSpace];
        ReadOnlySpan<byte> rest = line[(firstSpace + 1)..];
        int secondSpace = rest.IndexOf(SP);
        if (secondSpace <= 0 || !IsToken(methodToken))
        {
            return RtspRejectionReason.InvalidRequestLine;
        }

        ReadOnlySpan<byte> uriBytes = rest[..secondSpace];
        ReadOnlySpan<byte> versionBytes = rest[(secondSpace + 1)..];
        if (!versionBytes.SequenceEqual("RTSP/1.0"u8))
        {
            return IsRtspVersion(versionBytes)
                ? RtspRejectionReason.UnsupportedVersion
                : RtspRejectionReason.InvalidRequestLine;
        }

        // URIs should be ASCII, but some clients send UTF-8 paths unescaped; accept those when
        // they are valid UTF-8 so the string we make is exactly what was sent.
        if (uriBytes.ContainsAny(ForbiddenInUri) || !Utf8.IsValid(uriBytes))
        {
            return RtspRejectionReason.InvalidRequestLine;
        }

        RtspMethod method = RtspMethods.Parse(methodToken);
        string methodName = method == RtspMethod.Unknown
            ? Encoding.ASCII.GetString(methodToken)
            : RtspMethods.ToName(method);
        request.SetRequestLine(method, methodName, Encoding.UTF8.GetString(uriBytes), RtspRequest.Rtsp10);
        return RtspRejectionReason.None;
    }

    /// <summary>"RTSP/" 1*DIGIT "." 1*DIGIT: a version we recognise as RTSP but do not speak (505).</summary>
    private static bool IsRtspVersion(ReadOnlySpan<byte> version)
    {
        if (!version.StartsWith("RTSP/"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> number = version[5..];
        int dot = number.IndexOf((byte)'.');
        return dot > 0
            && dot < number.Length - 1
            && !number[..dot].ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && !number[(dot + 1)..].ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>message-header = field-name ":" [ field-value ]; whitespace around the value is not part of it.</summary>
    private static bool TrySplitHeader(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;

        // A line starting with whitespace would be an obsolete folded continuation; RTSP clients
        // do not fold, and accepting it invites ambiguity between parsers.
        int colon = line.IndexOf(Colon);
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            return false;
        }

        ReadOnlySpan<byte> rawValue = TrimWhitespace(line[(colon + 1)..]);
        if (rawValue.ContainsAny(ForbiddenInValue) || !Utf8.IsValid(rawValue))
        {
            return false;
        }

        name = line[..colon];
        value = rawValue;
        return true;
    }
}
