using MediaServer.Core.Streams;

namespace MediaServer.Core.Access;

/// <summary>
/// Decides, per stream and per action, whether a client may go on; the only issuer of
/// <see cref="StreamGrant"/>s. A path that matches no configured rule does not exist.
/// </summary>
public sealed class StreamAuthorizer
{
    private readonly PathRule[] _rules;

    public StreamAuthorizer(IEnumerable<PathOptions> paths)
    {
        _rules = paths.Select(p => new PathRule(p)).ToArray();
    }

    public AccessDecision Authorize(StreamId id, StreamAction action, out StreamGrant grant)
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

        grant = new StreamGrant(id, action, rule);
        return AccessDecision.Allowed;
    }

    public PathRule? Find(StreamId id)
    {
        foreach (PathRule rule in _rules)
        {
            if (rule.Matches(id))
            {
                return rule;
            }
        }

        return null;
    }
}
