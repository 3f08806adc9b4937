using System.Globalization;
using System.Text;

namespace MediaServer.Media.Sdp;

/// <summary>
/// A session description (RFC 8866) as RTSP uses it: session lines and m= sections. Parsing is
/// tolerant of the variations cameras and ffmpeg send (LF line ends, stray whitespace, unknown
/// lines) but never throws: malformed input is a false return with the reason.
/// </summary>
public sealed class SessionDescription
{
    public const int MaxMediaDescriptions = 64;

    public string Origin { get; set; } = "- 0 0 IN IP4 127.0.0.1";

    public string SessionName { get; set; } = "MediaServer";

    public string? Connection { get; set; }

    public string Timing { get; set; } = "0 0";

    public List<SdpAttribute> Attributes { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    public string? GetAttribute(string name) =>
        Attributes.Find(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static bool TryParse(string? text, out SessionDescription? description, out string? error)
    {
        description = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty session description";
            return false;
        }

        var result = new SessionDescription();
        MediaDescription? media = null;
        bool first = true;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r', ' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            // RFC 8866 §9: no CR or NUL inside a line. A CR that is not part of the line end would
            // also become a space when the description is written back (SdpLineWriter), changing
            // how the line splits, so it is refused here rather than re-read differently later.
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]) || line.AsSpan().IndexOfAny('\r', '\0') >= 0)
            {
                error = $"malformed line '{Truncate(line)}'";
                return false;
            }

            char type = line[0];
            string value = line[2..];
            if (first)
            {
                if (type != 'v' || value.Trim() != "0")
                {
                    error = "the description must start with v=0";
                    return false;
                }

                first = false;
                continue;
            }

            switch (type)
            {
                case 'm':
                    if (result.Media.Count == MaxMediaDescriptions)
                    {
                        error = $"more than {MaxMediaDescriptions} media descriptions";
                        return false;
                    }

                    if (!TryParseMediaLine(value, out media, out error))
                    {
                        return false;
                    }

                    result.Media.Add(media!);
                    break;
                case 'a':
                    SdpAttribute attribute = ParseAttribute(value);
                    if (attribute.Name.Length == 0)
                    {
                        error = "attribute without a name";
                        return false;
                    }

                    (media?.Attributes ?? result.Attributes).Add(attribute);
                    break;
                case 'c':
                    if (media is null)
                    {
                        result.Connection = value;
                    }
                    else
                    {
                        media.Connection = value;
                    }

                    break;
                case 'b':
                    media?.Bandwidths.Add(value);
                    break;
                case 'o' when media is null:
                    result.Origin = value;
                    break;
                case 's' when media is null:
                    result.SessionName = value;
                    break;
                case 't' when media is null:
                    result.Timing = value;
                    break;
                case 'v':
                    error = "a second v= line";
                    return false;
                default:
                    // i=, u=, e=, p=, k=, z=, r=: nothing a relay needs.
                    break;
            }
        }

        if (first)
        {
            error = "the description must start with v=0";
            return false;
        }

        description = result;
        return true;
    }

    /// <summary>A deep copy, to edit without touching the original (e.g. a publisher's SDP turned into a reader's).</summary>
    public SessionDescription Clone()
    {
        var copy = new SessionDescription
        {
            Origin = Origin,
            SessionName = SessionName,
            Connection = Connection,
            Timing = Timing,
        };
        copy.Attributes.AddRange(Attributes);
        foreach (MediaDescription media in Media)
        {
            copy.Media.Add(media.Clone());
        }

        return copy;
    }

    /// <summary>The description as SDP text with CRLF line ends; v=, o=, s=, c=, t=, a=, then each m= section.</summary>
    public override string ToString()
    {
        var sdp = new StringBuilder(512);
        sdp.Append("v=0\r\n");
        SdpLineWriter.Append(sdp, 'o', Origin);
        SdpLineWriter.Append(sdp, 's', string.IsNullOrEmpty(SessionName) ? "-" : SessionName);
        if (Connection is not null)
        {
            SdpLineWriter.Append(sdp, 'c', Connection);
        }

        SdpLineWriter.Append(sdp, 't', Timing);
        foreach (SdpAttribute attribute in Attributes)
        {
            SdpLineWriter.AppendAttribute(sdp, attribute);
        }

        foreach (MediaDescription media in Media)
        {
            media.WriteTo(sdp);
        }

        return sdp.ToString();
    }

    private static SdpAttribute ParseAttribute(string value)
    {
        int colon = value.IndexOf(':');
        return colon < 0 ? new SdpAttribute(value.Trim(), null) : new SdpAttribute(value[..colon].Trim(), value[(colon + 1)..]);
    }

    private static bool TryParseMediaLine(string value, out MediaDescription? media, out string? error)
    {
        media = null;
        error = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            error = $"malformed m= line '{Truncate(value)}'";
            return false;
        }

        string[] port = parts[1].Split('/');
        if (!int.TryParse(port[0], NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber) || portNumber > 65535 || port.Length > 2)
        {
            error = $"bad port in m= line '{Truncate(value)}'";
            return false;
        }

        int? count = null;
        if (port.Length == 2)
        {
            if (!int.TryParse(port[1], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c < 1)
            {
                error = $"bad port count in m= line '{Truncate(value)}'";
                return false;
            }

            count = c;
        }

        media = new MediaDescription { Media = parts[0], Port = portNumber, PortCount = count, Protocol = parts[2] };
        media.Formats.AddRange(parts.Skip(3));
        return true;
    }

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "...";
}
