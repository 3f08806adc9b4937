using System.Text;

namespace MediaServer.Rtsp.Protocol;

/// <summary>Maps RTSP method tokens to <see cref="RtspMethod"/> and back.</summary>
public static class RtspMethods
{
    // Method tokens are case-sensitive (RFC 2326 §6.1 inherits HTTP's token rules), so
    // "options" is an unknown method, not OPTIONS.
    private static readonly byte[] OptionsToken = "OPTIONS"u8.ToArray();
    private static readonly byte[] DescribeToken = "DESCRIBE"u8.ToArray();
    private static readonly byte[] AnnounceToken = "ANNOUNCE"u8.ToArray();
    private static readonly byte[] SetupToken = "SETUP"u8.ToArray();
    private static readonly byte[] PlayToken = "PLAY"u8.ToArray();
    private static readonly byte[] PauseToken = "PAUSE"u8.ToArray();
    private static readonly byte[] RecordToken = "RECORD"u8.ToArray();
    private static readonly byte[] TeardownToken = "TEARDOWN"u8.ToArray();
    private static readonly byte[] GetParameterToken = "GET_PARAMETER"u8.ToArray();
    private static readonly byte[] SetParameterToken = "SET_PARAMETER"u8.ToArray();
    private static readonly byte[] RedirectToken = "REDIRECT"u8.ToArray();

    /// <summary>Returns the method a token names, or <see cref="RtspMethod.Unknown"/>.</summary>
    public static RtspMethod Parse(ReadOnlySpan<byte> token)
    {
        // Dispatch on length first: every known token has a distinct length except the
        // pairs handled below, so most lookups are one comparison.
        switch (token.Length)
        {
            case 4:
                return token.SequenceEqual(PlayToken) ? RtspMethod.Play : RtspMethod.Unknown;
            case 5:
                if (token.SequenceEqual(SetupToken))
                {
                    return RtspMethod.Setup;
                }

                return token.SequenceEqual(PauseToken) ? RtspMethod.Pause : RtspMethod.Unknown;
            case 6:
                return token.SequenceEqual(RecordToken) ? RtspMethod.Record : RtspMethod.Unknown;
            case 7:
                return token.SequenceEqual(OptionsToken) ? RtspMethod.Options : RtspMethod.Unknown;
            case 8:
                if (token.SequenceEqual(DescribeToken))
                {
                    return RtspMethod.Describe;
                }

                if (token.SequenceEqual(AnnounceToken))
                {
                    return RtspMethod.Announce;
                }

                if (token.SequenceEqual(TeardownToken))
                {
                    return RtspMethod.Teardown;
                }

                return token.SequenceEqual(RedirectToken) ? RtspMethod.Redirect : RtspMethod.Unknown;
            case 13:
                if (token.SequenceEqual(GetParameterToken))
                {
                    return RtspMethod.GetParameter;
                }

                return token.SequenceEqual(SetParameterToken) ? RtspMethod.SetParameter : RtspMethod.Unknown;
            default:
                return RtspMethod.Unknown;
        }
    }

    /// <summary>Parses a method name given as a string (for configuration and tests).</summary>
    public static RtspMethod Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> bytes = stackalloc byte[16];
        if (name.Length > bytes.Length || !Ascii.IsValid(name))
        {
            return RtspMethod.Unknown;
        }

        int written = Encoding.ASCII.GetBytes(name, bytes);
        return Parse(bytes[..written]);
    }

    /// <summary>
    /// The token for a method as it appears on the wire (e.g. "GET_PARAMETER").
    /// <see cref="RtspMethod.Unknown"/> has no token; asking for it is a programming error.
    /// </summary>
    public static string ToName(RtspMethod m) => m switch
    {
        RtspMethod.Options => "OPTIONS",
        RtspMethod.Describe => "DESCRIBE",
        RtspMethod.Announce => "ANNOUNCE",
        RtspMethod.Setup => "SETUP",
        RtspMethod.Play => "PLAY",
        RtspMethod.Pause => "PAUSE",
        RtspMethod.Record => "RECORD",
        RtspMethod.Teardown => "TEARDOWN",
        RtspMethod.GetParameter => "GET_PARAMETER",
        RtspMethod.SetParameter => "SET_PARAMETER",
        RtspMethod.Redirect => "REDIRECT",
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "This method has no RTSP token."),
    };
}
