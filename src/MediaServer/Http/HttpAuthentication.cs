using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;

namespace MediaServer.Http;

/// <summary>
/// Turns a request's credentials into its <see cref="Principal"/>: Basic against the configured
/// users, or a Bearer JWT (in the Authorization header, or as <c>?jwt=</c> for a player page
/// opened from a link). Wrong credentials end the request with 401; an address with too many
/// failures gets 429 without new credentials even being looked at, while credentials already
/// accepted keep working (so one client's failures do not lock out the others behind its
/// address). Endpoints then check the principal's permissions (<see cref="HttpAccess"/>).
/// Secrets are never logged.
/// </summary>
internal sealed class HttpAuthentication(UserDirectory users, JwtVerifier jwt, AuthFailureLimiter limiter, ILogger<HttpAuthentication> logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!users.IsEnabled)
        {
            context.SetPrincipal(Principal.Everyone);
            await next(context);
            return;
        }

        string authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0 && context.Request.Query.TryGetValue("jwt", out var queryToken) && queryToken.Count == 1)
        {
            authorization = "Bearer " + queryToken[0];
        }

        if (authorization.Length == 0)
        {
            context.SetPrincipal(Principal.Anonymous);
            await next(context);
            return;
        }

        IPAddress? client = context.Connection.RemoteIpAddress;
        if (limiter.IsBlocked(client))
        {
            if (TryAuthenticateWhileBlocked(context, authorization, out Principal known))
            {
                context.SetPrincipal(known);
                await next(context);
                return;
            }

            MetricsRegistry.AuthFailures.WithLabels("http", "rate_limited").Inc();
            logger.LogWarning("HTTP request from {Client} refused: too many failed authentications (Auth:MaxFailuresPerMinute)", client);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "60";
            return;
        }

        if (TryAuthenticate(authorization, out Principal principal, out string who))
        {
            ConnectionCredentials.Remember(context, authorization);
            context.SetPrincipal(principal);
            await next(context);
            return;
        }

        limiter.RecordFailure(client);
        MetricsRegistry.AuthFailures.WithLabels("http", "bad_credentials").Inc();
        logger.LogWarning("HTTP authentication failed for {Who} from {Client} on {Path}", who, client, context.Request.Path);
        await HttpAccess.ChallengeAsync(context);
    }

    /// <summary>
    /// While the client address is blocked, credentials that were already accepted still work:
    /// the very Authorization value this connection authenticated with (a token is verified again,
    /// lifetime included), or Basic credentials matching a user's last verified password. Nothing
    /// else is looked at, and no password hash is run.
    /// </summary>
    private bool TryAuthenticateWhileBlocked(HttpContext context, string authorization, out Principal principal)
    {
        principal = Principal.Anonymous;
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicCredentials.TryParse(authorization[6..], out string user, out string password) &&
                users.TryBasicRemembered(user, password, out principal);
        }

        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
            ConnectionCredentials.IsRemembered(context, authorization) &&
            jwt.TryVerify(authorization[7..].Trim(), DateTimeOffset.UtcNow, out principal, out _);
    }

    private bool TryAuthenticate(string authorization, out Principal principal, out string who)
    {
        principal = Principal.Anonymous;
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (!jwt.IsEnabled)
            {
                who = "a bearer token (tokens are not configured)";
                return false;
            }

            bool valid = jwt.TryVerify(authorization[7..].Trim(), DateTimeOffset.UtcNow, out principal, out string error);
            who = valid ? principal.Name : $"a bearer token ({error})";
            return valid;
        }

        who = "an unsupported scheme";
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!BasicCredentials.TryParse(authorization[6..], out string user, out string password))
        {
            who = "malformed Basic credentials";
            return false;
        }

        who = ClaimedUser.Describe(user);
        return users.TryBasic(user, password, out principal);
    }
}
