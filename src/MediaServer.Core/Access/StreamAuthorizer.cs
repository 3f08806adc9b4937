using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Decides, per stream and per action, whether a client may go on; the only issuer of
/// <see cref="StreamGrant"/>s. A path that matches no configured rule does not exist.
/// </summary>
public sealed class StreamAuthorizer
{
    private PathRule[] _rules;

    public StreamAuthorizer(IEnumerable<PathOptions> paths)
    {
        _rules = paths.Select(p => new PathRule(p)).ToArray();
    }

    /// <summary>The rules as configured now, in order.</summary>
    public IReadOnlyList<PathOptions> Paths => Array.ConvertAll(Volatile.Read(ref _rules), r => r.Options);

    /// <summary>
    /// New rules from a reloaded configuration, in one swap: a decision sees the old rules or the
    /// new ones, never a mix. Sessions already granted keep running.
    /// </summary>
    public void Replace(IEnumerable<PathOptions> paths) => Volatile.Write(ref _rules, paths.Select(p => new PathRule(p)).ToArray());

    /// <summary>
    /// The path must exist and allow the action, and the principal must hold a permission for it;
    /// a principal without credentials is <see cref="AccessDecision.Unauthorized"/> (ask for them),
    /// one with credentials but no permission is <see cref="AccessDecision.Forbidden"/>.
    /// </summary>
    public AccessDecision Authorize(StreamId id, StreamAction action, Principal principal, out StreamGrant grant)
    {
        grant = default;
        PathRule? rule = Find(id);
        if (rule is null)
        {
            return AccessDecision.NoSuchPath;
        }

        bool allowed = action == StreamAction.Publish ? rule.Options.Publish : rule.Options.Read;
        if (!allowed)
        {
            return AccessDecision.Forbidden;
        }

        if (!principal.Allows(action == StreamAction.Publish ? AccessAction.Publish : AccessAction.Read, id))
        {
            return principal.IsAuthenticated ? AccessDecision.Forbidden : AccessDecision.Unauthorized;
        }

        grant = new StreamGrant(id, action, rule);
        return AccessDecision.Allowed;
    }

    /// <summary>Without authentication (tests and benchmarks): as if everyone were allowed everything.</summary>
    internal AccessDecision Authorize(StreamId id, StreamAction action, out StreamGrant grant) =>
        Authorize(id, action, Principal.Everyone, out grant);

    /// <summary>The publish grant of a path's pulled source: the server itself publishes what it pulls.</summary>
    internal static StreamGrant GrantSource(StreamId id, PathRule rule) => new(id, StreamAction.Publish, rule, isSource: true);

    public PathRule? Find(StreamId id)
    {
        foreach (PathRule rule in Volatile.Read(ref _rules))
        {
            if (rule.Matches(id))
            {
                return rule;
            }
        }

        return null;
    }
}
