using MediaServer.Core.Access;
using MediaServer.Http;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>
/// The REST API under <c>/v1</c>. Every endpoint needs the <c>api</c> permission, and shows or
/// touches only paths (and sessions on paths) the principal may read: anything else is a 404,
/// exactly as if it did not exist. Ending a session also needs <c>kick</c> on its path. The
/// routes are described in <c>openapi.json</c>.
/// </summary>
internal static class ApiEndpoints
{
    public static void MapApi(this WebApplication app)
    {
        app.MapGet("/v1/paths", async (HttpContext context, StreamRegistry registry, SessionDirectory sessions, RateSampler rates, SourceDirectory sources) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            Principal principal = context.GetPrincipal();
            List<SessionEntry> all = sessions.Snapshot();
            Dictionary<string, SourceStatus> pulled = sources.Snapshot().ToDictionary(s => s.Path, s => s.Status, StringComparer.Ordinal);
            var paths = new List<PathView>();
            foreach (MediaStream stream in registry.Streams)
            {
                if (principal.Allows(AccessAction.Read, stream.Id))
                {
                    paths.Add(PathView.From(stream, all, rates.RatesOf(stream), pulled.GetValueOrDefault(stream.Id.Path)));
                    pulled.Remove(stream.Id.Path);
                }
            }

            // Paths that pull a camera are listed while their source connects, retries or waits for a reader too.
            foreach ((string name, SourceStatus source) in pulled)
            {
                if (StreamId.TryCreate(name, out StreamId id) && principal.Allows(AccessAction.Read, id))
                {
                    paths.Add(PathView.ForSource(name, source));
                }
            }

            paths.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            await context.Response.WriteAsJsonAsync(paths.ToArray(), ApiJsonContext.Default.PathViewArray, contentType: null, context.RequestAborted);
        });

        app.MapGet("/v1/paths/{**name}", async (HttpContext context, string name, StreamRegistry registry, SessionDirectory sessions, RateSampler rates, SourceDirectory sources) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            if (!StreamId.TryCreate(name, out StreamId id) || !context.GetPrincipal().Allows(AccessAction.Read, id))
            {
                await NotFoundAsync(context, "no such path is published");
                return;
            }

            SourceStatus? source = sources.StatusOf(id);
            PathView view;
            if (registry.TryGet(id, out MediaStream stream))
            {
                view = PathView.From(stream, sessions.Snapshot(), rates.RatesOf(stream), source);
            }
            else if (source is not null)
            {
                view = PathView.ForSource(id.Path, source);
            }
            else
            {
                await NotFoundAsync(context, "no such path is published");
                return;
            }

            await context.Response.WriteAsJsonAsync(view, ApiJsonContext.Default.PathView, contentType: null, context.RequestAborted);
        });

        app.MapGet("/v1/sessions", async (HttpContext context, SessionDirectory sessions) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            string? protocol = context.Request.Query["protocol"];
            if (protocol is not (null or SessionEntry.Rtsp or SessionEntry.WebRtc))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new ApiError("protocol must be rtsp or webrtc"), ApiJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
                return;
            }

            List<SessionEntry> visible = sessions.Visible(context.GetPrincipal(), protocol);
            visible.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
            var views = new SessionView[visible.Count];
            for (int i = 0; i < views.Length; i++)
            {
                views[i] = SessionView.From(visible[i]);
            }

            await context.Response.WriteAsJsonAsync(views, ApiJsonContext.Default.SessionViewArray, contentType: null, context.RequestAborted);
        });

        app.MapGet("/v1/sessions/{id}", async (HttpContext context, string id, SessionDirectory sessions) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            if (sessions.Find(id, context.GetPrincipal()) is not { } session)
            {
                await NotFoundAsync(context, "no such session");
                return;
            }

            await context.Response.WriteAsJsonAsync(SessionView.From(session), ApiJsonContext.Default.SessionView, contentType: null, context.RequestAborted);
        });

        app.MapDelete("/v1/sessions/{id}", async (HttpContext context, string id, SessionDirectory sessions) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            // Seeing a session (read) is not ending it: a viewer of a path must not be able to
            // throw its camera off. Kicking needs its own permission on the session's path.
            Principal principal = context.GetPrincipal();
            if (sessions.Find(id, principal) is not { } session)
            {
                await NotFoundAsync(context, "no such session");
                return;
            }

            if (!principal.Allows(AccessAction.Kick, session.Stream!.Id))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new ApiError($"the kick permission on {session.Stream.Id.Path} is needed to end this session"), ApiJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
                return;
            }

            if (!await sessions.KickAsync(session, $"kicked through the API by {principal.Name}"))
            {
                await NotFoundAsync(context, "no such session");
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

        ConfigEndpoints.Map(app);
        OpenApiEndpoint.Map(app);
    }

    private static Task NotFoundAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsJsonAsync(new ApiError(message), ApiJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
    }
}
