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
    private static readonly WebRtcResourceRequests Requests =
        new(WebRtcResourcePath.Whip, publishers: true, "WHIP", "MediaServer.WebRtc.Whip.WhipEndpoints");

    /// <summary>
    /// The same catch-all as WHEP's, constrained to WHIP URLs: a constrained catch-all is the more
    /// specific route, so <c>…/whip</c> comes here and everything else still goes to WHEP.
    /// </summary>
    public static void MapWhip(this IEndpointRouteBuilder app)
    {
        RoutePattern pattern = RoutePatternFactory.Parse("/{**path}", defaults: null, parameterPolicies: new { path = new WhipRouteConstraint() });
        app.Map(pattern, (HttpContext context, string path) => Requests.DispatchAsync(context, path, PostAsync)).WithMetadata(new HttpMethodMetadata(["POST", "PATCH", "DELETE", "OPTIONS"]));
    }

    private static async Task PostAsync(HttpContext context, WebRtcServer server, string streamPath)
    {
        if (await Requests.ReadOfferAsync(context, streamPath) is not { } offer)
        {
            return;
        }

        WhipResult result = server.CreatePublishSession(streamPath, offer, context.GetPrincipal(), context.Connection.RemoteIpAddress);
        switch (result.Outcome)
        {
            case WhipOutcome.Created:
                await Requests.CreatedAsync(context, streamPath, result.Session!);
                break;
            case WhipOutcome.NoSuchPath:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status404NotFound, $"no path '{streamPath}'");
                break;
            case WhipOutcome.Unauthorized:
                MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
                await HttpAccess.ChallengeAsync(context);
                break;
            case WhipOutcome.Forbidden:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status403Forbidden, "publishing this path is not allowed");
                break;
            case WhipOutcome.PathBusy:
            case WhipOutcome.NotPublisherPath:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status409Conflict, result.Error!);
                break;
            case WhipOutcome.TooManySessions:
            case WhipOutcome.ShuttingDown:
                context.Response.Headers.RetryAfter = "10";
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status503ServiceUnavailable, result.Error ?? "too many sessions");
                break;
            default:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status400BadRequest, result.Error ?? "bad offer");
                break;
        }
    }

    /// <summary>Matches the paths <see cref="WebRtcResourcePath.Whip"/> splits: <c>{path}/whip</c> and <c>{path}/whip/{id}</c>.</summary>
    private sealed class WhipRouteConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out object? value) && WebRtcResourcePath.Whip.TrySplit(value as string, out _, out _);
    }
}
