using System.Diagnostics.CodeAnalysis;
using MediaServer.Core.Access;

namespace MediaServer.Core.Sources;

/// <summary>
/// A path rule's pulled source, validated when the rule is loaded: the URL (a template with
/// <c>$G1</c>.. for a regex path), whether it runs on demand, its timeouts and transport.
/// </summary>
public sealed class SourceSettings
{
    private SourceSettings(string urlTemplate, bool onDemand, TimeSpan startTimeout, TimeSpan closeAfter, SourceTransport transport)
    {
        UrlTemplate = urlTemplate;
        OnDemand = onDemand;
        StartTimeout = startTimeout;
        CloseAfter = closeAfter;
        Transport = transport;
    }

    public string UrlTemplate { get; }

    public bool OnDemand { get; }

    public TimeSpan StartTimeout { get; }

    public TimeSpan CloseAfter { get; }

    public SourceTransport Transport { get; }

    /// <summary>
    /// Null with no error for a path clients publish (<c>Source: publisher</c>); the settings for a
    /// pulled one; an error naming the key for anything else.
    /// </summary>
    public static bool TryParse(PathOptions options, bool isPattern, out SourceSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        error = null;
        string source = options.Source?.Trim() ?? string.Empty;
        if (source.Length == 0 || string.Equals(source, "publisher", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string prefix = $"Path '{options.Name}'";
        // A template's groups are checked for syntax with a stand-in value; the real URL is parsed again per path.
        string probe = SourceUrlTemplate.Expand(source, static _ => "0");
        if (!SourceUri.TryParse(probe, out _, out string? urlError))
        {
            error = $"{prefix}: Source must be 'publisher' or an rtsp:// or rtsps:// URL ({urlError})";
            return false;
        }

        if (!isPattern && SourceUrlTemplate.HasGroups(source))
        {
            error = $"{prefix}: Source uses $G groups, which only a regex path name (starting with '~') has";
            return false;
        }

        if (isPattern && !options.SourceOnDemand)
        {
            error = $"{prefix}: a regex path pulls its source for each path it matches, on demand: set SourceOnDemand: true";
            return false;
        }

        if (!TryParseTransport(options.SourceTransport, out SourceTransport transport))
        {
            error = $"{prefix}: SourceTransport '{options.SourceTransport}' must be automatic, tcp or udp";
            return false;
        }

        if (!(options.SourceOnDemandStartTimeoutSeconds > 0) || options.SourceOnDemandStartTimeoutSeconds > 600)
        {
            error = $"{prefix}: SourceOnDemandStartTimeoutSeconds must be above 0 and at most 600";
            return false;
        }

        if (!(options.SourceOnDemandCloseAfterSeconds >= 0) || options.SourceOnDemandCloseAfterSeconds > 86400)
        {
            error = $"{prefix}: SourceOnDemandCloseAfterSeconds must be between 0 and 86400";
            return false;
        }

        settings = new SourceSettings(source, options.SourceOnDemand,
            TimeSpan.FromSeconds(options.SourceOnDemandStartTimeoutSeconds),
            TimeSpan.FromSeconds(options.SourceOnDemandCloseAfterSeconds), transport);
        return true;
    }

    private static bool TryParseTransport(string? text, out SourceTransport transport)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "automatic":
                transport = SourceTransport.Automatic;
                return true;
            case "tcp":
                transport = SourceTransport.Tcp;
                return true;
            case "udp":
                transport = SourceTransport.Udp;
                return true;
            default:
                transport = default;
                return false;
        }
    }
}
