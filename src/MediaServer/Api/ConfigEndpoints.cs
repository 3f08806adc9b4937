using System.Text.Json;
using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.Core.Sources;
using MediaServer.Http;

namespace MediaServer.Api;

/// <summary>
/// Path rules and users, read and replaced while the server runs (permission <c>config</c>). A new
/// set is checked whole before it applies, in one swap; sessions it no longer allows are ended,
/// the others keep running, as with a reload of the file. Changes live in memory: the next change of the file replaces them.
/// </summary>
internal static class ConfigEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/config/paths", async (HttpContext context, StreamAuthorizer paths) =>
        {
            if (await HttpAccess.RequireAsync(context, AccessAction.Config))
            {
                await context.Response.WriteAsJsonAsync(paths.Paths.ToArray(), ApiJsonContext.Default.PathOptionsArray, contentType: null, context.RequestAborted);
            }
        });

        app.MapPut("/v1/config/paths", async (HttpContext context, StreamAuthorizer paths, AccessRevoker revoker, SourceDirectory sources, ILogger<StreamAuthorizer> logger) =>
        {
            (bool proceed, PathOptions[]? body) = await AcceptAsync(context, ApiJsonContext.Default.PathOptionsArray, logger);
            if (!proceed)
            {
                return;
            }

            string? error = body is null or { Length: 0 } ? "the body must be a non-empty JSON array of paths" : Check(() => _ = new StreamAuthorizer(body));
            if (error is not null)
            {
                await BadRequestAsync(context, error);
                return;
            }

            paths.Replace(body!);
            sources.Reconcile();
            int ended = await revoker.RevokeAsync();
            logger.LogInformation("Path rules replaced through the API by {Principal}: {Count} rules, {Ended} sessions ended", context.GetPrincipal().Name, body!.Length, ended);
            await context.Response.WriteAsJsonAsync(paths.Paths.ToArray(), ApiJsonContext.Default.PathOptionsArray, contentType: null, context.RequestAborted);
        });

        app.MapGet("/v1/config/users", async (HttpContext context, UserDirectory users) =>
        {
            if (await HttpAccess.RequireAsync(context, AccessAction.Config))
            {
                await context.Response.WriteAsJsonAsync(Views(users), ApiJsonContext.Default.UserViewArray, contentType: null, context.RequestAborted);
            }
        });

        app.MapPut("/v1/config/users", async (HttpContext context, UserDirectory users, AccessRevoker revoker, ILogger<UserDirectory> logger) =>
        {
            (bool proceed, UserOptions[]? body) = await AcceptAsync(context, ApiJsonContext.Default.UserOptionsArray, logger);
            if (!proceed)
            {
                return;
            }

            AuthOptions current = users.Options;
            var replacement = new AuthOptions
            {
                Users = body is null ? [] : [.. body],
                Realm = current.Realm,
                RtspBasic = current.RtspBasic,
                JwtSecret = current.JwtSecret,
                JwksPath = current.JwksPath,
                JwtPermissionsClaim = current.JwtPermissionsClaim,
                MaxFailuresPerMinute = current.MaxFailuresPerMinute,
            };
            string? error = body is null ? "the body must be a JSON array of users" : Check(() => _ = new UserDirectory(replacement));
            if (error is not null)
            {
                await BadRequestAsync(context, error);
                return;
            }

            users.Replace(replacement);
            int ended = await revoker.RevokeAsync();
            logger.LogInformation("Users replaced through the API by {Principal}: {Count} users, {Ended} sessions ended", context.GetPrincipal().Name, body!.Length, ended);
            await context.Response.WriteAsJsonAsync(Views(users), ApiJsonContext.Default.UserViewArray, contentType: null, context.RequestAborted);
        });
    }

    private static UserView[] Views(UserDirectory users) => [.. users.Users.Select(UserView.From)];

    private static string? Check(Action build)
    {
        try
        {
            build();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// A replacement request's permission and body: false when it was answered already (401/403, or
    /// the body could not be read whole); a body that is not JSON of the type comes back null.
    /// </summary>
    private static async Task<(bool Proceed, T? Body)> AcceptAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, ILogger logger)
        where T : class
    {
        if (!await HttpAccess.RequireAsync(context, AccessAction.Config))
        {
            return (false, null);
        }

        (T? body, RequestBodyRead read) = await ReadAsync(context, type, logger);
        if (!read.IsComplete)
        {
            await ErrorAsync(context, read.Status, read.Error);
            return (false, null);
        }

        return (true, body);
    }

    /// <summary>The body as JSON: null when it is not (a 400), or when it could not be read whole (see the read's status).</summary>
    private static async Task<(T? Value, RequestBodyRead Read)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, ILogger logger)
        where T : class
    {
        RequestBodyRead read = await RequestBody.ReadAsync(context, MaxBodyBytes, logger);
        if (!read.IsComplete)
        {
            return (null, read);
        }

        try
        {
            return (JsonSerializer.Deserialize(read.Body, type), read);
        }
        catch (JsonException)
        {
            return (null, read);
        }
    }

    private static Task BadRequestAsync(HttpContext context, string message) => ErrorAsync(context, StatusCodes.Status400BadRequest, message);

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message), ApiJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
    }
}
