using MediaServer.Core.Streams;
using Prometheus;

namespace MediaServer.Http;

/// <summary>The HTTP surface of this issue: the list of published paths and Prometheus metrics.</summary>
internal static class HttpEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/paths", (StreamRegistry registry) => Results.Json(
            registry.Streams.Select(s => new PathInfo(
                s.Id.Path,
                s.Tracks.Select(t => t.Format.EncodingName).ToArray(),
                s.ReaderCount,
                s.PacketsIn,
                s.BytesIn)).ToArray(),
            PathInfoJsonContext.Default.PathInfoArray));

        app.MapGet("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
