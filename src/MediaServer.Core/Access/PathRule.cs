using System.Text.RegularExpressions;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>A compiled <see cref="PathOptions"/> entry.</summary>
public sealed class PathRule
{
    private readonly Regex? _pattern;

    public PathRule(PathOptions options)
    {
        Options = options;
        if (options.Name.StartsWith('~'))
        {
            _pattern = PathPattern.Compile(options.Name[1..]);
        }
        else if (!StreamId.TryCreate(options.Name, out _, out string? error))
        {
            throw new ArgumentException($"Path '{options.Name}' in configuration is invalid: {error}.");
        }

        if (options.JoinMode is not null && !JoinModeLabels.TryParse(options.JoinMode, out _))
        {
            throw new ArgumentException($"Path '{options.Name}': JoinMode '{options.JoinMode}' must be catchup, keyframe or gop.");
        }
    }

    public PathOptions Options { get; }

    public bool Matches(StreamId id) =>
        _pattern is null ? string.Equals(Options.Name, id.Path, StringComparison.Ordinal) : _pattern.IsMatch(id.Path);
}
