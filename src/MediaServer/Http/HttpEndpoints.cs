using MediaServer.Core.Access;
using Prometheus;

namespace MediaServer.Http;

/// <summary>
/// Prometheus metrics (permission <c>metrics</c>). The REST API under /v1 is in
/// <see cref="Api.ApiEndpoints"/>.
/// </summary>
internal static class HttpEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/metrics", async (HttpContext context) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Metrics))
            {
                return;
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
