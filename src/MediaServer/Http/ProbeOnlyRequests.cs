using MediaServer.Core.Metrics;
using Microsoft.AspNetCore.Connections.Features;

namespace MediaServer.Http;

/// <summary>
/// First in the request pipeline: on a probe-only connection, GET /healthz and /readyz
/// are answered as anywhere else and then the connection closes; any other request gets the
/// per-address 503 with Connection: close, logged and counted as the limit it passed.
/// </summary>
internal sealed class ProbeOnlyRequests(ILogger<ProbeOnlyRequests> logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<ProbeOnlyConnection>() is null)
        {
            await next(context);
            return;
        }

        // One request, then the connection goes: it holds a slot past the address's limit.
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
        else
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }

        if (IsProbe(context.Request))
        {
            await next(context);
            return;
        }

        MetricsRegistry.LimitRejections.WithLabels("connections_per_address").Inc();
        logger.LogWarning(
            "HTTP {Method} {Path} from {Client} refused: limit connections_per_address reached (Limits section); only health probes are served",
            context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "10";
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("too many connections, sorry\n", context.RequestAborted);
    }

    private static bool IsProbe(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Path.Equals("/healthz", StringComparison.Ordinal) || request.Path.Equals("/readyz", StringComparison.Ordinal));
}
