using System.Text;
using MediaServer.Core.Metrics;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Whip;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MediaServer.Http;

/// <summary>
/// WHIP (RFC 9725): POST an SDP offer to <c>/{path}/whip</c> to publish the path, get 201 with the
/// answer and the session's resource URL; PATCH that URL with trickle ICE or an ICE restart (as
/// WHEP); DELETE it to stop publishing. Authenticated as WHEP is, with the <c>publish</c> permission.
/// </summary>
internal static class WhipEndpoints
{
    private const string SdpType = "application/sdp";
    private const string SdpFragType = "application/trickle-ice-sdpfrag";
    private const int MaxOfferBytes = 64 * 1024;
    private const string LogCategory = "MediaServer.WebRtc.Whip.WhipEndpoints";

    /// <summary>
    /// The same catch-all as WHEP's, constrained to WHIP URLs: a constrained catch-all is the more
    /// specific route, so <c>…/whip</c> comes here and everything else still goes to WHEP.
    /// </summary>
    public static void MapWhip(this IEndpointRouteBuilder app)
    {
        RoutePattern pattern = RoutePatternFactory.Parse("/{**path}", defaults: null, parameterPolicies: new { path = new WhipRouteConstraint() });
        app.Map(pattern, Dispatch).WithMetadata(new HttpMethodMetadata(["POST", "PATCH", "DELETE", "OPTIONS"]));
    }

    private static async Task Dispatch(HttpContext context, string path)
    {
        WhepEndpoints.AddCors(context.Response);
        WebRtcServer? server = context.RequestServices.GetService<WebRtcServer>();
        if (server is null || !WhipPath.TrySplit(path, out string streamPath, out string? resourceId))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        string method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            context.Response.Headers.Allow = resourceId is null ? "OPTIONS, POST" : "OPTIONS, PATCH, DELETE";
            context.Response.Headers["Accept-Post"] = SdpType;
            context.Response.Headers["Accept-Patch"] = SdpFragType;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (resourceId is null)
        {
            if (HttpMethods.IsPost(method))
            {
                await PostAsync(context, server, streamPath);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            }

            return;
        }

        if (!server.Sessions.TryGet(resourceId, out WebRtcSession? session) || !session!.IsPublisher ||
            session.StreamId.Path != streamPath || !session.Owner.IsSameOwner(context.GetPrincipal()))
        {
            // Another principal's session is indistinguishable from one that does not exist.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (HttpMethods.IsDelete(method))
        {
            await session.CloseAsync("the WHIP client deleted the session");
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        else if (HttpMethods.IsPatch(method))
        {
            await WhepEndpoints.PatchAsync(context, server, session);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        }
    }

    private static async Task PostAsync(HttpContext context, WebRtcServer server, string streamPath)
    {
        if (!WhepEndpoints.IsContentType(context.Request, SdpType))
        {
            await Refuse(context, streamPath, StatusCodes.Status415UnsupportedMediaType, "the offer must be application/sdp");
            return;
        }

        if (!WhepEndpoints.Accepts(context.Request, SdpType))
        {
            await Refuse(context, streamPath, StatusCodes.Status406NotAcceptable, "the answer is application/sdp");
            return;
        }

        RequestBodyRead body = await RequestBody.ReadAsync(context, MaxOfferBytes, Logger(context));
        if (!body.IsComplete)
        {
            await Refuse(context, streamPath, body.Status, body.Error);
            return;
        }

        string offer = Encoding.UTF8.GetString(body.Body!);
        WhipResult result = server.CreatePublishSession(streamPath, offer, context.GetPrincipal(), context.Connection.RemoteIpAddress);
        switch (result.Outcome)
        {
            case WhipOutcome.Created:
                WebRtcSession session = result.Session!;
                context.Response.StatusCode = StatusCodes.Status201Created;
                context.Response.ContentType = SdpType;
                context.Response.Headers.Location = $"/{streamPath}/whip/{session.Id}";
                context.Response.Headers.ETag = session.ETag;
                context.Response.Headers["Accept-Patch"] = SdpFragType;
                await context.Response.WriteAsync(session.Answer.Sdp, context.RequestAborted);
                break;
            case WhipOutcome.NoSuchPath:
                await Refuse(context, streamPath, StatusCodes.Status404NotFound, $"no path '{streamPath}'");
                break;
            case WhipOutcome.Unauthorized:
                MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
                await HttpAccess.ChallengeAsync(context);
                break;
            case WhipOutcome.Forbidden:
                await Refuse(context, streamPath, StatusCodes.Status403Forbidden, "publishing this path is not allowed");
                break;
            case WhipOutcome.PathBusy:
            case WhipOutcome.NotPublisherPath:
                await Refuse(context, streamPath, StatusCodes.Status409Conflict, result.Error!);
                break;
            case WhipOutcome.TooManySessions:
            case WhipOutcome.ShuttingDown:
                context.Response.Headers.RetryAfter = "10";
                await Refuse(context, streamPath, StatusCodes.Status503ServiceUnavailable, result.Error ?? "too many sessions");
                break;
            default:
                await Refuse(context, streamPath, StatusCodes.Status400BadRequest, result.Error ?? "bad offer");
                break;
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    private static Task Refuse(HttpContext context, string streamPath, int status, string message)
    {
        Logger(context).LogInformation(
            "WHIP offer for {Path} from {Client} refused with {Status}: {Reason}",
            streamPath, context.Connection.RemoteIpAddress, status, message);
        return WhepEndpoints.Problem(context, status, message);
    }

    /// <summary>Matches the paths <see cref="WhipPath"/> splits: <c>{path}/whip</c> and <c>{path}/whip/{id}</c>.</summary>
    private sealed class WhipRouteConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out object? value) && WhipPath.TrySplit(value as string, out _, out _);
    }
}
