using System.Globalization;

namespace MediaServer.Media.Sdp;

/// <summary>The value of <c>a=rtpmap</c>: "96 H264/90000" or "97 MPEG4-GENERIC/48000/2".</summary>
public sealed record RtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels)
{
    public static bool TryParse(string? value, out RtpMap? map)
    {
        map = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        string text = value.Trim();
        int space = text.IndexOf(' ');
        if (space <= 0 || !int.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int payloadType) || payloadType > 127)
        {
            return false;
        }

        string[] parts = text[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clockRate) || clockRate <= 0)
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c <= 0)
            {
                return false;
            }

            channels = c;
        }

        map = new RtpMap(payloadType, parts[0], clockRate, channels);
        return true;
    }

    public override string ToString() =>
        Channels is { } c ? $"{PayloadType} {EncodingName}/{ClockRate}/{c}" : $"{PayloadType} {EncodingName}/{ClockRate}";
}
