using System.Globalization;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Parses the Transport header of SETUP (RFC 2326 §12.39):
/// <c>Transport = "Transport" ":" 1#transport-spec</c>, each spec being
/// <c>transport-protocol/profile[/lower-transport] *( ";" parameter )</c>.
/// A client lists several specs in order of preference; the session picks the first it serves.
/// Failure here means "malformed" (400); "well-formed but none we serve" is the session's 461
/// (see <see cref="TransportParseError"/>). Unknown parameters are ignored, as the RFC's
/// extensibility intends, but known ones must be valid.
/// </summary>
public sealed class TransportHeader
{
    private TransportHeader()
    {
    }

    /// <summary>Parses all specs; on failure <paramref name="error"/> says what was wrong, for the log and the 400 answer.</summary>
    public static bool TryParse(string value, out IReadOnlyList<TransportSpec> specs, out string? error) =>
        TryParse(value, out specs, out _, out error);

    /// <summary>As <see cref="TryParse(string, out IReadOnlyList{TransportSpec}, out string?)"/>, also giving the error as a value.</summary>
    public static bool TryParse(string value, out IReadOnlyList<TransportSpec> specs, out TransportParseError error, out string? message)
    {
        specs = [];
        var parsed = new List<TransportSpec>(2);
        ReadOnlySpan<char> rest = value ?? string.Empty;
        while (true)
        {
            int comma = IndexOutsideQuotes(rest, ',');
            ReadOnlySpan<char> item = Trim(comma < 0 ? rest : rest[..comma]);

            // Empty list elements ("a,,b") are allowed by the #rule of RFC 2616 §2.1.
            if (!item.IsEmpty)
            {
                if (!TryParseSpec(item, out TransportSpec? spec, out error, out message))
                {
                    return false;
                }

                parsed.Add(spec);
            }

            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (parsed.Count == 0)
        {
            error = TransportParseError.Empty;
            message = "empty Transport header";
            return false;
        }

        specs = parsed;
        error = TransportParseError.None;
        message = null;
        return true;
    }

    private static bool TryParseSpec(ReadOnlySpan<char> item, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TransportSpec? spec, out TransportParseError error, out string? message)
    {
        spec = null;
        int semicolon = IndexOutsideQuotes(item, ';');
        ReadOnlySpan<char> protocol = Trim(semicolon < 0 ? item : item[..semicolon]);
        if (!TryParseProtocol(protocol, out LowerTransport lower))
        {
            return Fail(TransportParseError.InvalidProtocol, $"'{protocol}' is not transport/profile[/lower-transport]", out error, out message);
        }

        var result = new TransportSpec { Protocol = protocol.ToString(), Lower = lower };
        ReadOnlySpan<char> parameters = semicolon < 0 ? [] : item[(semicolon + 1)..];
        while (!parameters.IsEmpty)
        {
            int next = IndexOutsideQuotes(parameters, ';');
            ReadOnlySpan<char> parameter = Trim(next < 0 ? parameters : parameters[..next]);
            parameters = next < 0 ? [] : parameters[(next + 1)..];

            // Empty parameters come from trailing or doubled semicolons, which real clients send.
            if (!parameter.IsEmpty && !TryApplyParameter(parameter, result, out error, out message))
            {
                return false;
            }
        }

        spec = result;
        error = TransportParseError.None;
        message = null;
        return true;
    }

    private static bool TryParseProtocol(ReadOnlySpan<char> protocol, out LowerTransport lower)
    {
        lower = LowerTransport.Udp;
        int parts = 0;
        foreach (Range range in protocol.Split('/'))
        {
            ReadOnlySpan<char> part = protocol[range];
            if (!IsToken(part))
            {
                return false;
            }

            parts++;
            if (parts == 3)
            {
                lower = part.Equals("TCP", StringComparison.OrdinalIgnoreCase) ? LowerTransport.Tcp
                    : part.Equals("UDP", StringComparison.OrdinalIgnoreCase) ? LowerTransport.Udp
                    : LowerTransport.Other;
            }
        }

        return parts is 2 or 3;
    }

    private static bool TryApplyParameter(ReadOnlySpan<char> parameter, TransportSpec spec, out TransportParseError error, out string? message)
    {
        int equals = parameter.IndexOf('=');
        ReadOnlySpan<char> name = Trim(equals < 0 ? parameter : parameter[..equals]);
        bool hasValue = equals >= 0;
        ReadOnlySpan<char> value = hasValue ? Trim(parameter[(equals + 1)..]) : [];
        if (!IsToken(name) || (hasValue && !TryUnquote(value, out value)))
        {
            return Fail(TransportParseError.InvalidParameter, $"malformed parameter '{parameter}'", out error, out message);
        }

        error = TransportParseError.None;
        message = null;

        // Parameter names are case-insensitive; lowering them into a small stack buffer lets a
        // plain switch on constants do the matching. Longer names are no parameter we know.
        Span<char> lowered = stackalloc char[16];
        if (name.Length > lowered.Length)
        {
            return true;
        }

        lowered = lowered[..name.ToLowerInvariant(lowered)];
        switch (lowered)
        {
            case "unicast":
                spec.IsUnicast = true;
                return true;
            case "multicast":
                spec.IsUnicast = false;
                return true;
            case "append":
                spec.Append = true;
                return true;
            case "destination":
                // "destination" alone is legal: it asks for the default destination.
                spec.Destination = value.IsEmpty ? null : value.ToString();
                return true;
            case "source":
                spec.Source = value.IsEmpty ? null : value.ToString();
                return true;
            case "interleaved":
                if (!TryParseRange(value, 0, byte.MaxValue, out (int, int) channels))
                {
                    return Fail(TransportParseError.InvalidInterleavedChannel, $"interleaved '{value}' is not a channel or channel pair within 0-255", out error, out message);
                }

                spec.Interleaved = channels;
                return true;
            case "client_port":
            case "server_port":
            case "port":
                if (!TryParseRange(value, 1, ushort.MaxValue, out (int, int) ports))
                {
                    return Fail(TransportParseError.InvalidPort, $"{name} '{value}' is not a port or port pair within 1-65535", out error, out message);
                }

                if (lowered is "client_port")
                {
                    spec.ClientPort = ports;
                }
                else if (lowered is "server_port")
                {
                    spec.ServerPort = ports;
                }
                else
                {
                    spec.Port = ports;
                }

                return true;
            case "ttl":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int ttl) || ttl > byte.MaxValue)
                {
                    return Fail(TransportParseError.InvalidTtl, $"ttl '{value}' is not within 0-255", out error, out message);
                }

                spec.Ttl = ttl;
                return true;
            case "ssrc":
                // RFC 2326 says 8 hex digits; some senders drop leading zeros, which is harmless.
                if (value.IsEmpty || value.Length > 8
                    || !uint.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint ssrc))
                {
                    return Fail(TransportParseError.InvalidSsrc, $"ssrc '{value}' is not 1-8 hexadecimal digits", out error, out message);
                }

                spec.Ssrc = ssrc;
                return true;
            case "mode":
                if (value.IsEmpty)
                {
                    return Fail(TransportParseError.InvalidParameter, "empty mode", out error, out message);
                }

                // Methods are upper case in the RFC ("PLAY", "RECORD") but clients send either
                // case; one spelling keeps the session's comparisons simple.
                spec.Mode = value.ToString().ToLowerInvariant();
                return true;
            default:
                // layers, and any extension parameter: not used by this server.
                return true;
        }
    }

    /// <summary>"n" or "n-m", both within [min, max]; "n" alone means the pair (n, n + 1).</summary>
    private static bool TryParseRange(ReadOnlySpan<char> value, int min, int max, out (int, int) range)
    {
        range = default;
        int dash = value.IndexOf('-');
        ReadOnlySpan<char> firstText = dash < 0 ? value : value[..dash];
        if (!TryParseBounded(firstText, min, max, out int first))
        {
            return false;
        }

        int second;
        if (dash < 0)
        {
            second = first + 1;
            if (second > max)
            {
                return false;
            }
        }
        else if (!TryParseBounded(value[(dash + 1)..], min, max, out second))
        {
            return false;
        }

        range = (first, second);
        return true;
    }

    private static bool TryParseBounded(ReadOnlySpan<char> text, int min, int max, out int number) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= min && number <= max;

    /// <summary>Strips one pair of double quotes; a quote anywhere else makes the value malformed.</summary>
    private static bool TryUnquote(ReadOnlySpan<char> value, out ReadOnlySpan<char> unquoted)
    {
        unquoted = value;
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            unquoted = value[1..^1];
        }

        return !unquoted.Contains('"');
    }

    /// <summary>The index of <paramref name="separator"/> outside double-quoted strings, or -1.</summary>
    private static int IndexOutsideQuotes(ReadOnlySpan<char> text, char separator)
    {
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c > 0x7F || !RtspSyntax.IsTokenChar((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text) => text.Trim(" \t");

    private static bool Fail(TransportParseError reason, string text, out TransportParseError error, out string? message)
    {
        error = reason;
        message = text;
        return false;
    }
}
