using System.Globalization;

namespace MediaServer.Rtsp.Protocol;

/// <summary>The Session header of a response (RFC 2326 §12.37): <c>session-id [";timeout=" delta-seconds]</c>.</summary>
public readonly record struct SessionHeader(string Id, int TimeoutSeconds)
{
    /// <summary>What RFC 2326 says a session lives without a timeout parameter.</summary>
    public const int DefaultTimeoutSeconds = 60;

    public static bool TryParse(string? value, out SessionHeader session)
    {
        session = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        string[] parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0)
        {
            return false;
        }

        int timeout = DefaultTimeoutSeconds;
        foreach (string parameter in parts.AsSpan(1))
        {
            if (parameter.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(parameter.AsSpan("timeout=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
                && seconds > 0)
            {
                timeout = seconds;
            }
        }

        session = new SessionHeader(parts[0], timeout);
        return true;
    }
}
