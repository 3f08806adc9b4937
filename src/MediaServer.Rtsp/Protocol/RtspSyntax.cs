using System.Buffers;

namespace MediaServer.Rtsp.Protocol;

/// <summary>Byte-level grammar shared by the request parser pieces (RFC 2326 §15, which borrows RFC 2616's rules).</summary>
internal static class RtspSyntax
{
    public const byte CR = (byte)'\r';
    public const byte LF = (byte)'\n';
    public const byte SP = (byte)' ';
    public const byte HT = (byte)'\t';
    public const byte Colon = (byte)':';

    /// <summary>RFC 2616 token characters: visible ASCII except the separators ()&lt;&gt;@,;:\"/[]?={}.</summary>
    public static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes that may never appear in a header value: controls other than HT, and DEL.</summary>
    public static readonly SearchValues<byte> ForbiddenInValue = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    /// <summary>Bytes that may never appear in a request URI: controls, space and DEL.</summary>
    public static readonly SearchValues<byte> ForbiddenInUri = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u0020\u007F"u8);

    public static bool IsToken(ReadOnlySpan<byte> span) => !span.IsEmpty && !span.ContainsAnyExcept(TokenChars);

    public static bool IsTokenChar(byte b) => TokenChars.Contains(b);

    /// <summary>Drops the CR of a CRLF line ending (the LF is already gone); bare-LF lines pass unchanged.</summary>
    public static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == CR ? line[..^1] : line;

    /// <summary>Trims linear whitespace (SP and HT) from both ends.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = 0;
        while (start < span.Length && (span[start] == SP || span[start] == HT))
        {
            start++;
        }

        int end = span.Length;
        while (end > start && (span[end - 1] == SP || span[end - 1] == HT))
        {
            end--;
        }

        return span[start..end];
    }

    /// <summary>
    /// Parses 1*DIGIT into a non-negative long. No sign, no whitespace, no overflow: a value that
    /// does not fit is an error rather than a wrapped number an attacker could pick.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            int digit = b - '0';
            if ((uint)digit > 9)
            {
                value = 0;
                return false;
            }

            if (value > (long.MaxValue - digit) / 10)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
