namespace MediaServer.Core.Streams;

/// <summary>
/// The identity of a stream: a validated path such as <c>cam1</c> or <c>site/door</c>.
/// It can only be made by <see cref="TryCreate"/>, so every StreamId in the process is a path that
/// passed validation (DESIGN.md invariant 1). Streams are found by their StreamId at session set-up;
/// the per-packet path holds object references and never looks anything up.
/// </summary>
public readonly struct StreamId : IEquatable<StreamId>
{
    public const int MaxLength = 256;

    private readonly string? _path;

    private StreamId(string path) => _path = path;

    /// <summary>The path; empty for the default value, which never names a stream.</summary>
    public string Path => _path ?? string.Empty;

    public bool IsEmpty => _path is null;

    public static bool TryCreate(string? path, out StreamId id, out string? error)
    {
        id = default;
        error = Validate(path);
        if (error is not null)
        {
            return false;
        }

        id = new StreamId(path!);
        return true;
    }

    public static bool TryCreate(string? path, out StreamId id) => TryCreate(path, out id, out _);

    private static string? Validate(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "empty path";
        }

        if (path.Length > MaxLength)
        {
            return $"path longer than {MaxLength} characters";
        }

        int segmentStart = 0;
        for (int i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                int length = i - segmentStart;
                if (length == 0)
                {
                    return "empty path segment";
                }

                if (path.AsSpan(segmentStart, length) is "." or "..")
                {
                    return "relative path segment";
                }

                segmentStart = i + 1;
                continue;
            }

            if (!IsAllowed(path[i]))
            {
                return $"character '{path[i]}' is not allowed in a path";
            }
        }

        return null;
    }

    // RFC 3986 unreserved characters only: no percent-encoding ambiguities, nothing that means
    // something in a URL, SDP or a log line.
    private static bool IsAllowed(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';

    public bool Equals(StreamId other) => string.Equals(_path, other._path, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is StreamId other && Equals(other);

    public override int GetHashCode() => _path is null ? 0 : StringComparer.Ordinal.GetHashCode(_path);

    public override string ToString() => Path;

    public static bool operator ==(StreamId left, StreamId right) => left.Equals(right);

    public static bool operator !=(StreamId left, StreamId right) => !left.Equals(right);
}
