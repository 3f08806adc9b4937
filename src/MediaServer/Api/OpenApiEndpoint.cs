using MediaServer.Core.Access;
using MediaServer.Http;

namespace MediaServer.Api;

/// <summary>
/// <c>GET /v1/openapi.json</c>: the hand-written OpenAPI 3 description of every <c>/v1</c>
/// route, embedded in the assembly (a test checks it against the routes really mapped).
/// </summary>
internal static class OpenApiEndpoint
{
    public const string ResourceName = "MediaServer.Api.openapi.json";

    private static readonly Lazy<byte[]> Document = new(Load);

    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/openapi.json", async (HttpContext context) =>
        {
            if (!await HttpAccess.RequireAsync(context, AccessAction.Api))
            {
                return;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(Document.Value, context.RequestAborted);
        });
    }

    private static byte[] Load()
    {
        using Stream resource = typeof(OpenApiEndpoint).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }
}
