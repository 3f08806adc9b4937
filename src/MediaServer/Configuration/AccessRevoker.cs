using MediaServer.Api;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Configuration;

/// <summary>
/// After the path rules or users change (file reload or the config API), ends the sessions the new
/// rules no longer allow: a path removed or made read-only, a user removed or stripped of the
/// permission, anonymous sessions once authentication is turned on. Every other session goes on
/// untouched. Bearer-token sessions keep the permissions of their token; only the path rules are
/// checked again for them.
/// </summary>
internal sealed class AccessRevoker(SessionDirectory sessions, StreamAuthorizer paths, UserDirectory users, ILogger<AccessRevoker> logger)
{
    public async Task<int> RevokeAsync()
    {
        int ended = 0;
        foreach (SessionEntry session in sessions.Snapshot())
        {
            if (session.Stream is not { } stream || session.Mode is not ("publish" or "read"))
            {
                continue;
            }

            StreamAction action = session.Mode == "publish" ? StreamAction.Publish : StreamAction.Read;
            if (paths.Authorize(stream.Id, action, PrincipalNow(session.Owner), out _) == AccessDecision.Allowed)
            {
                continue;
            }

            logger.LogWarning("Ending {Protocol} session {Session} of {Owner} on {Path}: the new configuration no longer allows it",
                session.Protocol, session.Id, session.Owner.Name, stream.Id.Path);
            if (await sessions.KickAsync(session, "access revoked by a configuration change"))
            {
                ended++;
            }
        }

        return ended;
    }

    /// <summary>What the owner of a running session is allowed under the configuration now in force.</summary>
    private Principal PrincipalNow(Principal owner)
    {
        if (!users.IsEnabled)
        {
            return Principal.Everyone;
        }

        return owner.Kind switch
        {
            // Looked up by name: a reload compiles new principals, and a removed user is nobody.
            PrincipalKind.User => users.TryGetPrincipal(owner.Name, out Principal user) ? user : Principal.Anonymous,
            PrincipalKind.Token => Principal.Everyone,
            _ => Principal.Anonymous,
        };
    }
}
