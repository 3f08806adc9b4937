using System.Text;
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
    private const string SdpType = "application/sdp";
    private const string SdpFragType = "application/trickle-ice-sdpfrag";
    private const int MaxOfferBytes = 64 * 1024;

    // The category WHEP has always logged under, which log filters in deployed configurations name.
    private const string LogCategory = "MediaServer.WebRtc.Whep.WhepEndpoints";

    public static void MapWhep(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/{**path}", ["POST", "PATCH", "DELETE", "OPTIONS"], Dispatch);
    }

    private static async Task Dispatch(HttpContext context, string path)
    {
        AddCors(context.Response);
        WebRtcServer? server = context.RequestServices.GetService<WebRtcServer>();
        if (server is null || !WhepPath.TrySplit(path, out string streamPath, out string? resourceId))
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

        if (!server.Sessions.TryGet(resourceId, out WebRtcSession? session) ||
            session!.IsPublisher || session.StreamId.Path != streamPath || !session.Owner.IsSameOwner(context.GetPrincipal()))
        {
            // Another principal's session is indistinguishable from one that does not exist.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (HttpMethods.IsDelete(method))
        {
            await session.CloseAsync("the WHEP client deleted the session");
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        else if (HttpMethods.IsPatch(method))
        {
            await PatchAsync(context, server, session);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        }
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
        if (!IsContentType(context.Request, SdpType))
        {
            await Refuse(context, streamPath, StatusCodes.Status415UnsupportedMediaType, "the offer must be application/sdp");
            return;
        }

        if (!Accepts(context.Request, SdpType))
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
        await ActivateSourceAsync(context, streamPath);

        WhepResult result = server.CreateSession(streamPath, offer, context.GetPrincipal(), context.Connection.RemoteIpAddress);
        switch (result.Outcome)
        {
            case WhepOutcome.Created:
                WebRtcSession session = result.Session!;
                context.Response.StatusCode = StatusCodes.Status201Created;
                context.Response.ContentType = SdpType;
                context.Response.Headers.Location = $"/{streamPath}/whep/{session.Id}";
                context.Response.Headers.ETag = session.ETag;
                context.Response.Headers["Accept-Patch"] = SdpFragType;
                await context.Response.WriteAsync(session.Answer.Sdp, context.RequestAborted);
                break;
            case WhepOutcome.NoSuchPath:
            case WhepOutcome.NotPublished:
                await Refuse(context, streamPath, StatusCodes.Status404NotFound, result.Error ?? $"no path '{streamPath}'");
                break;
            case WhepOutcome.Unauthorized:
                MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
                await HttpAccess.ChallengeAsync(context);
                break;
            case WhepOutcome.Forbidden:
                await Refuse(context, streamPath, StatusCodes.Status403Forbidden, "reading this path is not allowed");
                break;
            case WhepOutcome.TooManySessions:
            case WhepOutcome.ShuttingDown:
                context.Response.Headers.RetryAfter = "10";
                await Refuse(context, streamPath, StatusCodes.Status503ServiceUnavailable, result.Error ?? "too many sessions");
                break;
            default:
                await Refuse(context, streamPath, StatusCodes.Status400BadRequest, result.Error ?? "bad offer");
                break;
        }
    }

    /// <summary>
    /// Trickle ICE from the client needs nothing from an ICE-lite server (it learns addresses from
    /// the checks themselves): 204. New ice-ufrag/ice-pwd mean an ICE restart: 200 with ours.
    /// </summary>
    internal static async Task PatchAsync(HttpContext context, WebRtcServer server, WebRtcSession session)
    {
        if (!IsContentType(context.Request, SdpFragType))
        {
            await Problem(context, StatusCodes.Status415UnsupportedMediaType, "PATCH takes application/trickle-ice-sdpfrag");
            return;
        }

        string ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != session.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
            return;
        }

        RequestBodyRead body = await RequestBody.ReadAsync(context, MaxOfferBytes, Logger(context));
        if (!body.IsComplete)
        {
            await Problem(context, body.Status, body.Error);
            return;
        }

        string fragment = Encoding.UTF8.GetString(body.Body!);

        string? ufrag = null;
        string? pwd = null;
        foreach (string raw in fragment.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                ufrag = line["a=ice-ufrag:".Length..].Trim();
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                pwd = line["a=ice-pwd:".Length..].Trim();
            }
        }

        var current = session.Credentials;
        if (ufrag is null || pwd is null || (ufrag == current.RemoteUfrag && pwd == current.RemotePwd))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (ufrag.Length is < 4 or > 256 || pwd.Length is < 22 or > 256)
        {
            await Problem(context, StatusCodes.Status400BadRequest, "invalid ICE credentials");
            return;
        }

        if (session.TransportCount != 1)
        {
            // One ufrag/pwd pair in the fragment cannot restart several transports.
            await Problem(context, StatusCodes.Status400BadRequest, "ICE restart is supported for bundled sessions only (this one has one transport per m-section)");
            return;
        }

        if (server.RestartIce(session, ufrag, pwd) is not (string localUfrag, string localPwd))
        {
            await Problem(context, StatusCodes.Status503ServiceUnavailable, "could not allocate new ICE credentials; try again");
            return;
        }

        var answer = new StringBuilder();
        answer.Append("a=ice-lite\r\n");
        answer.Append("a=ice-ufrag:").Append(localUfrag).Append("\r\n");
        answer.Append("a=ice-pwd:").Append(localPwd).Append("\r\n");
        for (int i = 0; i < server.Candidates.Count; i++)
        {
            answer.Append("a=candidate:").Append(server.Candidates[i].ToSdpValue(i)).Append("\r\n");
        }

        answer.Append("a=end-of-candidates\r\n");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = SdpFragType;
        context.Response.Headers.ETag = session.ETag;
        await context.Response.WriteAsync(answer.ToString(), context.RequestAborted);
    }

    internal static bool IsContentType(HttpRequest request, string expected) =>
        request.ContentType is { } type &&
        type.Split(';')[0].Trim().Equals(expected, StringComparison.OrdinalIgnoreCase);

    internal static bool Accepts(HttpRequest request, string type)
    {
        string accept = request.Headers.Accept.ToString();
        return accept.Length == 0 ||
            accept.Contains(type, StringComparison.OrdinalIgnoreCase) ||
            accept.Contains("*/*", StringComparison.Ordinal) ||
            accept.Contains("application/*", StringComparison.OrdinalIgnoreCase);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    internal static void AddCors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = "OPTIONS, POST, PATCH, DELETE";
        response.Headers.AccessControlAllowHeaders = "Content-Type, If-Match, Authorization";
        response.Headers.AccessControlExposeHeaders = "Location, ETag, Accept-Patch, Link";
    }

    /// <summary>
    /// A refused offer: the client gets the reason in the body, and the log says who was refused
    /// and why, since a WHEP client often shows nothing but "failed".
    /// </summary>
    private static Task Refuse(HttpContext context, string streamPath, int status, string message)
    {
        Logger(context).LogInformation(
            "WHEP offer for {Path} from {Client} refused with {Status}: {Reason}",
            streamPath, context.Connection.RemoteIpAddress, status, message);
        return Problem(context, status, message);
    }

    internal static Task Problem(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
