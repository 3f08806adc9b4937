namespace MediaServer.Media.Formats;

/// <summary>
/// Decodes the base64 NAL units of SDP sprop parameters (RFC 6184 §8.1, RFC 7798 §7.1) without
/// exceptions. Some cameras leave out the '=' padding, so a missing pad is tolerated; anything
/// else that is not base64 is refused.
/// </summary>
internal static class SpropBase64
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[]? nalUnit)
    {
        nalUnit = null;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        int remainder = text.Length % 4;
        if (remainder == 1)
        {
            return false; // no padding can make this base64
        }

        ReadOnlySpan<char> padded = remainder == 0 ? text : string.Concat(text, "==".AsSpan(0, 4 - remainder));
        byte[] buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(padded, buffer, out int written) || written == 0)
        {
            return false;
        }

        nalUnit = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
