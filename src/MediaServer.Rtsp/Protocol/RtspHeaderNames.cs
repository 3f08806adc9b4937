namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Header names the server reads or writes, spelled as RFC 2326 §12 spells them.
/// The parser hands back these exact instances when a client uses the same spelling, so the
/// usual fields of a request do not allocate a name string each time.
/// </summary>
public static class RtspHeaderNames
{
    public const string Accept = "Accept";
    public const string Authorization = "Authorization";
    public const string Bandwidth = "Bandwidth";
    public const string Blocksize = "Blocksize";
    public const string CSeq = "CSeq";
    public const string ContentBase = "Content-Base";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Date = "Date";
    public const string Public = "Public";
    public const string Range = "Range";
    public const string Require = "Require";
    public const string RtpInfo = "RTP-Info";
    public const string Scale = "Scale";
    public const string Server = "Server";
    public const string Session = "Session";
    public const string Speed = "Speed";
    public const string Transport = "Transport";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string WwwAuthenticate = "WWW-Authenticate";

    // Names a client sends; the response-only ones are not worth comparing against.
    private static readonly string[] RequestNames =
    [
        CSeq, Session, Transport, UserAgent, Range, ContentLength, ContentType, Accept,
        Authorization, Require, Scale, Speed, Bandwidth, Blocksize, Date,
    ];

    /// <summary>Returns the shared instance for a name sent in the usual spelling, or null.</summary>
    internal static string? FindKnown(ReadOnlySpan<byte> name)
    {
        foreach (string known in RequestNames)
        {
            if (known.Length == name.Length && EqualsAscii(name, known))
            {
                return known;
            }
        }

        return null;
    }

    private static bool EqualsAscii(ReadOnlySpan<byte> bytes, string text)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }
}
