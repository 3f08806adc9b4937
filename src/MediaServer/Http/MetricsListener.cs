using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MediaServer.Http;

/// <summary>
/// Where <c>/metrics</c> is served: on the main HTTP listeners (Metrics:Port = -1) or only on a
/// listener of its own, which then serves nothing else, so operators can firewall the two apart.
/// </summary>
internal sealed class MetricsListener
{
    /// <summary>The dedicated listener, once Kestrel is configured; null when metrics share the main one.</summary>
    public ListenOptions? Listen { get; set; }

    public bool IsSeparate => Listen is not null;

    /// <summary>The port it bound (known once the server started), or 0.</summary>
    public int Port => Listen?.IPEndPoint?.Port ?? 0;

    /// <summary>True when the request arrived on the dedicated metrics listener.</summary>
    public bool IsMetricsConnection(HttpContext context) => IsSeparate && context.Connection.LocalPort == Port;

    /// <summary>True when <c>/metrics</c> may be answered on this request's listener.</summary>
    public bool Serves(HttpContext context) => !IsSeparate || IsMetricsConnection(context);

    /// <summary>Middleware: the dedicated listener answers 404 to everything but <c>/metrics</c>.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsMetricsConnection(context) && !context.Request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
