using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using Prometheus;

namespace MediaServer.Http;

/// <summary>
/// The operator's HTTP surface: the list of published paths (permission <c>api</c>, and only the
/// paths the principal may read) and Prometheus metrics (permission <c>metrics</c>), on the main
/// listener or, with Metrics:Port set, only on the metrics listener. A scrape first copies the
/// per-stream and per-session counters in (<see cref="Core.Metrics.ScrapeCollector"/>); the
/// registry's default collectors add the process and .NET runtime series.
/// </summary>
internal static class HttpEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/paths", async (HttpContext context, StreamRegistry registry) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            Principal principal = context.GetPrincipal();
            PathInfo[] paths = registry.Streams
                .Where(s => principal.Allows(AccessAction.Read, s.Id))
                .Select(s => new PathInfo(
                    s.Id.Path,
                    s.Tracks.Select(t => t.Format.EncodingName).ToArray(),
                    s.ReaderCount,
                    s.PacketsIn,
                    s.BytesIn))
                .ToArray();
            await context.Response.WriteAsJsonAsync(paths, PathInfoJsonContext.Default.PathInfoArray, contentType: null, context.RequestAborted);
        });

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
