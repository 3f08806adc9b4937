using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Whep;

namespace MediaServer.Http;

/// <summary>
/// WHEP (draft-ietf-wish-whep): POST an SDP offer to <c>/{path}/whep</c>, get 201 with the answer
/// and the session's resource URL; PATCH that URL with trickle ICE or an ICE restart; DELETE it to
/// stop. CORS is open so a player page on another origin can play.
/// </summary>
/// <remarks>
/// The HTTP face of <see cref="WebRtcServer"/>, kept in the host beside the other endpoints because
/// it needs what the host's HTTP layer knows: the request's principal, the bounded body read, the
/// 401 challenge.
/// </remarks>
internal static class WhepEndpoints
{
    // The category WHEP has always logged under, which log filters in deployed configurations name.
    private static readonly WebRtcResourceRequests Requests =
        new(WebRtcResourcePath.Whep, publishers: false, "WHEP", "MediaServer.WebRtc.Whep.WhepEndpoints");

    public static void MapWhep(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/{**path}", ["POST", "PATCH", "DELETE", "OPTIONS"],
            (HttpContext context, string path) => Requests.DispatchAsync(context, path, PostAsync));
    }

    /// <summary>
    /// A path that pulls its camera on demand starts it for a viewer allowed to read it (and only
    /// then), and the offer waits for it; the session is then made as for any published path.
    /// </summary>
    private static async Task ActivateSourceAsync(HttpContext context, string streamPath)
    {
        if (StreamId.TryCreate(streamPath, out StreamId id, out _) &&
            context.RequestServices.GetRequiredService<StreamAuthorizer>().Authorize(id, StreamAction.Read, context.GetPrincipal(), out _) == AccessDecision.Allowed)
        {
            await context.RequestServices.GetRequiredService<StreamRegistry>().AcquireAsync(id, context.RequestAborted);
        }
    }

    private static async Task PostAsync(HttpContext context, WebRtcServer server, string streamPath)
    {
        if (await Requests.ReadOfferAsync(context, streamPath) is not { } offer)
        {
            return;
        }

        await ActivateSourceAsync(context, streamPath);
        WhepResult result = server.CreateSession(streamPath, offer, context.GetPrincipal(), context.Connection.RemoteIpAddress);
        switch (result.Outcome)
        {
            case WhepOutcome.Created:
                await Requests.CreatedAsync(context, streamPath, result.Session!);
                break;
            case WhepOutcome.NoSuchPath:
            case WhepOutcome.NotPublished:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status404NotFound, result.Error ?? $"no path '{streamPath}'");
                break;
            case WhepOutcome.Unauthorized:
                MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
                await HttpAccess.ChallengeAsync(context);
                break;
            case WhepOutcome.Forbidden:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status403Forbidden, "reading this path is not allowed");
                break;
            case WhepOutcome.TooManySessions:
            case WhepOutcome.ShuttingDown:
                context.Response.Headers.RetryAfter = "10";
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status503ServiceUnavailable, result.Error ?? "too many sessions");
                break;
            default:
                await Requests.RefuseAsync(context, streamPath, StatusCodes.Status400BadRequest, result.Error ?? "bad offer");
                break;
        }
    }
}
