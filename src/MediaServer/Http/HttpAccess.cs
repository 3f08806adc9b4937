using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Http;

/// <summary>
/// The HTTP side of a permission check: a principal without credentials gets 401 with the Basic
/// and Bearer challenges (so a browser asks for a password), one without the permission gets 403.
/// </summary>
internal static class HttpAccess
{
    /// <summary>True when the request's principal may do <paramref name="action"/>; otherwise the refusal is written.</summary>
    public static async Task<bool> RequireAsync(HttpContext context, AccessAction action, StreamId? id = null)
    {
        Principal principal = context.GetPrincipal();
        if (principal.Allows(action, id))
        {
            return true;
        }

        if (principal.IsAuthenticated)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("not allowed\n", context.RequestAborted);
            return false;
        }

        MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
        await ChallengeAsync(context);
        return false;
    }

    /// <summary>401 with the Basic and Bearer challenges; the caller has counted why.</summary>
    public static Task ChallengeAsync(HttpContext context)
    {
        string realm = context.RequestServices.GetService<UserDirectory>()?.Realm ?? "MediaServer";
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{realm}\", charset=\"UTF-8\"");
        context.Response.Headers.Append("WWW-Authenticate", $"Bearer realm=\"{realm}\"");
        return context.Response.WriteAsync("credentials required\n", context.RequestAborted);
    }
}
