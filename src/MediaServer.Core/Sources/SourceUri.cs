using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MediaServer.Core.Sources;

/// <summary>
/// A pulled source's URL (<c>rtsp://user:password@host:port/path?query</c>), parsed once. Its
/// <see cref="Key"/> is the source's identity (invariant 7, map <c>pulled_source</c>): every part
/// that can select another camera or another account is in it (scheme, user, password, host, port
/// with the scheme's default filled in, path and query), so two URLs share a connection only when
/// they name the same thing. <see cref="Redacted"/> is what logs and the API show: no password.
/// </summary>
public sealed class SourceUri : IEquatable<SourceUri>
{
    private SourceUri(string scheme, string? user, string? password, string host, int port, string pathAndQuery)
    {
        Scheme = scheme;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        PathAndQuery = pathAndQuery;
        string credentials = user is null ? string.Empty
            : Uri.EscapeDataString(user) + (password is null ? string.Empty : ":" + Uri.EscapeDataString(password)) + "@";
        Key = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{credentials}{host}:{port}{pathAndQuery}");
        Redacted = string.Create(CultureInfo.InvariantCulture,
            $"{scheme}://{(user is null ? string.Empty : Uri.EscapeDataString(user) + (password is null ? "@" : ":***@"))}{host}:{port}{pathAndQuery}");
        // What the camera is asked for: the URL without credentials, which travel in Authorization.
        RequestUri = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{port}{pathAndQuery}");
    }

    /// <summary><c>rtsp</c> or <c>rtsps</c>, lower case.</summary>
    public string Scheme { get; }

    /// <summary>The user name, unescaped; null when the URL has none.</summary>
    public string? User { get; }

    /// <summary>The password, unescaped; null when the URL has none.</summary>
    public string? Password { get; }

    /// <summary>The host as written (lower case; an IPv6 literal keeps its brackets).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The path with its query, as written (at least "/").</summary>
    public string PathAndQuery { get; }

    /// <summary>The URL requests are made to: no credentials.</summary>
    public string RequestUri { get; }

    /// <summary>The identity: every part, the default port filled in.</summary>
    public string Key { get; }

    /// <summary>For logs and the API: the password replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    public bool IsSecure => Scheme == "rtsps";

    public static bool TryParse(string text, [NotNullWhen(true)] out SourceUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed))
        {
            error = "not an absolute URL";
            return false;
        }

        string scheme = parsed.Scheme.ToLowerInvariant();
        int defaultPort = scheme switch
        {
            "rtsp" => 554,
            "rtsps" => 322,
            _ => -1,
        };
        if (defaultPort < 0)
        {
            error = $"scheme '{parsed.Scheme}' is not rtsp or rtsps";
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Host))
        {
            error = "no host";
            return false;
        }

        if (parsed.Fragment.Length > 0)
        {
            error = "a fragment (#) has no meaning in a source URL";
            return false;
        }

        string? user = null;
        string? password = null;
        if (parsed.UserInfo.Length > 0)
        {
            int colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
        }

        int port = parsed.IsDefaultPort || parsed.Port < 0 ? defaultPort : parsed.Port;
        string pathAndQuery = parsed.PathAndQuery.Length == 0 ? "/" : parsed.PathAndQuery;
        uri = new SourceUri(scheme, user, password, parsed.Host.ToLowerInvariant(), port, pathAndQuery);
        error = null;
        return true;
    }

    public bool Equals(SourceUri? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SourceUri);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Redacted;
}
