using System.Text;
using MediaServer.WebRtc;

namespace MediaServer.Http;

/// <summary>
/// What WHEP and WHIP share over HTTP, one instance per protocol: the resource URLs and their
/// dispatch (OPTIONS, POST to the endpoint, PATCH and DELETE of a session by its owner only), the
/// checks and body read of an offer, the 201 with the answer, trickle ICE and ICE restart, CORS,
/// and refusals that tell the client why and log who was refused.
/// </summary>
internal sealed class WebRtcResourceRequests
{
    public const string SdpType = "application/sdp";
    public const string SdpFragType = "application/trickle-ice-sdpfrag";
    private const int MaxOfferBytes = 64 * 1024;

    private readonly WebRtcResourcePath _urls;
    private readonly bool _publishers;
    private readonly string _protocol;
    private readonly string _logCategory;

    /// <param name="publishers">True for WHIP: its URLs reach publishing sessions only, WHEP's viewing ones only.</param>
    /// <param name="logCategory">The category the protocol logs under, which log filters name.</param>
    public WebRtcResourceRequests(WebRtcResourcePath urls, bool publishers, string protocol, string logCategory)
    {
        _urls = urls;
        _publishers = publishers;
        _protocol = protocol;
        _logCategory = logCategory;
    }

    public async Task DispatchAsync(HttpContext context, string path, Func<HttpContext, WebRtcServer, string, Task> post)
    {
        AddCors(context.Response);
        WebRtcServer? server = context.RequestServices.GetService<WebRtcServer>();
        if (server is null || !_urls.TrySplit(path, out string streamPath, out string? resourceId))
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
                await post(context, server, streamPath);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            }

            return;
        }

        if (!server.Sessions.TryGet(resourceId, out WebRtcSession? session) || session!.IsPublisher != _publishers ||
            session.StreamId.Path != streamPath || !session.Owner.IsSameOwner(context.GetPrincipal()))
        {
            // Another principal's session is indistinguishable from one that does not exist.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (HttpMethods.IsDelete(method))
        {
            await session.CloseAsync($"the {_protocol} client deleted the session");
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

    /// <summary>The offer of a POST, or null when it was refused (wrong type, an answer the client cannot take, a body too large).</summary>
    public async Task<string?> ReadOfferAsync(HttpContext context, string streamPath)
    {
        if (!IsContentType(context.Request, SdpType))
        {
            await RefuseAsync(context, streamPath, StatusCodes.Status415UnsupportedMediaType, "the offer must be application/sdp");
            return null;
        }

        if (!Accepts(context.Request, SdpType))
        {
            await RefuseAsync(context, streamPath, StatusCodes.Status406NotAcceptable, "the answer is application/sdp");
            return null;
        }

        RequestBodyRead body = await RequestBody.ReadAsync(context, MaxOfferBytes, Logger(context));
        if (!body.IsComplete)
        {
            await RefuseAsync(context, streamPath, body.Status, body.Error);
            return null;
        }

        return Encoding.UTF8.GetString(body.Body!);
    }

    /// <summary>201 with the answer, the session's resource URL and its ETag.</summary>
    public async Task CreatedAsync(HttpContext context, string streamPath, WebRtcSession session)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = SdpType;
        context.Response.Headers.Location = $"/{streamPath}/{_urls.Name}/{session.Id}";
        context.Response.Headers.ETag = session.ETag;
        context.Response.Headers["Accept-Patch"] = SdpFragType;
        await context.Response.WriteAsync(session.Answer.Sdp, context.RequestAborted);
    }

    /// <summary>
    /// A refused offer: the client gets the reason in the body, and the log says who was refused
    /// and why, since a WHEP or WHIP client often shows nothing but "failed".
    /// </summary>
    public Task RefuseAsync(HttpContext context, string streamPath, int status, string message)
    {
        Logger(context).LogInformation(
            "{Protocol} offer for {Path} from {Client} refused with {Status}: {Reason}",
            _protocol, streamPath, context.Connection.RemoteIpAddress, status, message);
        return ProblemAsync(context, status, message);
    }

    /// <summary>
    /// Trickle ICE from the client needs nothing from an ICE-lite server (it learns addresses from
    /// the checks themselves): 204. New ice-ufrag/ice-pwd mean an ICE restart: 200 with ours.
    /// </summary>
    private async Task PatchAsync(HttpContext context, WebRtcServer server, WebRtcSession session)
    {
        if (!IsContentType(context.Request, SdpFragType))
        {
            await ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "PATCH takes application/trickle-ice-sdpfrag");
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
            await ProblemAsync(context, body.Status, body.Error);
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
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "invalid ICE credentials");
            return;
        }

        if (session.TransportCount != 1)
        {
            // One ufrag/pwd pair in the fragment cannot restart several transports.
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "ICE restart is supported for bundled sessions only (this one has one transport per m-section)");
            return;
        }

        if (server.RestartIce(session, ufrag, pwd) is not (string localUfrag, string localPwd))
        {
            await ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "could not allocate new ICE credentials; try again");
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

    private static bool IsContentType(HttpRequest request, string expected) =>
        request.ContentType is { } type &&
        type.Split(';')[0].Trim().Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static bool Accepts(HttpRequest request, string type)
    {
        string accept = request.Headers.Accept.ToString();
        return accept.Length == 0 ||
            accept.Contains(type, StringComparison.OrdinalIgnoreCase) ||
            accept.Contains("*/*", StringComparison.Ordinal) ||
            accept.Contains("application/*", StringComparison.OrdinalIgnoreCase);
    }

    private static void AddCors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = "OPTIONS, POST, PATCH, DELETE";
        response.Headers.AccessControlAllowHeaders = "Content-Type, If-Match, Authorization";
        response.Headers.AccessControlExposeHeaders = "Location, ETag, Accept-Patch, Link";
    }

    private static Task ProblemAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    private ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(_logCategory);
}
