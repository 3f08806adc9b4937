using System.Text.RegularExpressions;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>A compiled <see cref="PermissionOptions"/>.</summary>
public sealed class Permission
{
    private readonly Regex? _pattern;
    private readonly string? _path;

    public Permission(AccessAction action, string? path)
    {
        Action = action;
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        if (path.StartsWith('~'))
        {
            _pattern = PathPattern.Compile(path[1..]);
        }
        else
        {
            _path = path.Trim('/');
        }
    }

    public AccessAction Action { get; }

    public static bool TryCreate(PermissionOptions options, out Permission? permission, out string? error)
    {
        permission = null;
        error = null;
        if (!Enum.TryParse(options.Action, ignoreCase: true, out AccessAction action) || !Enum.IsDefined(action))
        {
            error = $"unknown action '{options.Action}' (publish, read, kick, api, metrics or config)";
            return false;
        }

        try
        {
            permission = new Permission(action, options.Path);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"invalid path pattern '{options.Path}': {e.Message}";
            return false;
        }
    }

    /// <summary>True when this permission covers the action on the path (or, for api/metrics/config, at all).</summary>
    public bool Covers(AccessAction action, StreamId? id)
    {
        if (action != Action)
        {
            return false;
        }

        if (id is not { } stream || (_pattern is null && _path is null))
        {
            return true;
        }

        return _pattern?.IsMatch(stream.Path) ?? string.Equals(_path, stream.Path, StringComparison.Ordinal);
    }
}
