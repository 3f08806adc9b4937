namespace MediaServer.Media.Sdp;

/// <summary>Parses the parameter part of <c>a=fmtp</c>: "key=value; key=value" (values may contain '=').</summary>
public static class FmtpParameters
{
    public static IReadOnlyDictionary<string, string> Parse(string? fmtp)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(fmtp))
        {
            return result;
        }

        foreach (string part in fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=');
            if (equals < 0)
            {
                result[part] = string.Empty;
            }
            else if (equals > 0)
            {
                result[part[..equals].Trim()] = part[(equals + 1)..].Trim();
            }
        }

        return result;
    }
}
