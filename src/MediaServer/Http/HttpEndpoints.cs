using MediaServer.Core.Access;
using Prometheus;

namespace MediaServer.Http;

/// <summary>
/// Prometheus metrics (permission <c>metrics</c>), on the main listener or, with Metrics:Port set,
/// only on the metrics listener. A scrape first copies the per-stream and per-session counters in
/// (<see cref="Core.Metrics.ScrapeCollector"/>); the registry's default collectors add the process
/// and .NET runtime series. The REST API under /v1 is in <see cref="Api.ApiEndpoints"/>.
/// </summary>
internal static class HttpEndpoints
{
    public static void MapMetrics(this WebApplication app)
    {
        app.MapGet("/metrics", async (HttpContext context, MetricsListener listener) =>
        {
            if (!listener.Serves(context))
            {
                // Metrics:Port moved them to a listener of their own.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!await HttpAccess.RequireAsync(context, AccessAction.Metrics))
            {
                return;
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
