using System.Text.RegularExpressions;
using MediaServer.Core.Sources;
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

        if (!SourceSettings.TryParse(options, _pattern is not null, out SourceSettings? source, out string? sourceError))
        {
            throw new ArgumentException(sourceError + ".");
        }

        Source = source;
    }

    public PathOptions Options { get; }

    /// <summary>The camera the server pulls for this path; null when clients publish it.</summary>
    public SourceSettings? Source { get; }

    /// <summary>The source URL of one path this rule matches (a regex rule's groups filled in); null when clients publish it.</summary>
    public string? ResolveSource(StreamId id)
    {
        if (Source is null)
        {
            return null;
        }

        return _pattern is null ? Source.UrlTemplate : SourceUrlTemplate.Expand(Source.UrlTemplate, _pattern.Match(id.Path).Groups);
    }

    public bool Matches(StreamId id) =>
        _pattern is null ? string.Equals(Options.Name, id.Path, StringComparison.Ordinal) : _pattern.IsMatch(id.Path);
}
