using System.Text;

namespace MediaServer.Media.Sdp;

/// <summary>
/// Writes "&lt;type&gt;=&lt;value&gt;" lines with CRLF endings (RFC 8866 §5). Values can come from
/// outside (a publisher's SDP, a stream path in a control URL), so any CR or LF inside one becomes
/// a space: a value can never start a line of its own.
/// </summary>
internal static class SdpLineWriter
{
    public static void Append(StringBuilder sdp, char type, string value)
    {
        sdp.Append(type).Append('=');
        AppendValue(sdp, value);
        sdp.Append("\r\n");
    }

    public static void AppendAttribute(StringBuilder sdp, SdpAttribute attribute)
    {
        sdp.Append("a=");
        AppendValue(sdp, attribute.Name);
        if (attribute.Value is not null)
        {
            sdp.Append(':');
            AppendValue(sdp, attribute.Value);
        }

        sdp.Append("\r\n");
    }

    private static void AppendValue(StringBuilder sdp, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            sdp.Append(value);
            return;
        }

        foreach (char c in value)
        {
            sdp.Append(c is '\r' or '\n' ? ' ' : c);
        }
    }
}
