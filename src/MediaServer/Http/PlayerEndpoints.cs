using System.Net;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;

namespace MediaServer.Http;

/// <summary>
/// The pages a person opens: <c>GET /</c> lists the paths being published, each linking to its
/// player at <c>GET /{path}/</c>, a WHEP viewer shipped inside the server.
/// </summary>
internal static class PlayerEndpoints
{
    private static readonly Lazy<byte[]> PlayerPage = new(LoadPlayerPage);

    public static void Map(WebApplication app)
    {
        // With authentication on, both pages ask for credentials (a browser then prompts, and sends
        // the same ones with the player's WHEP requests); the index lists only readable paths.
        app.MapGet("/", async (HttpContext context, StreamRegistry registry, UserDirectory users) =>
        {
            Principal principal = context.GetPrincipal();
            if (users.IsEnabled && !principal.IsAuthenticated)
            {
                MetricsRegistry.AuthFailures.WithLabels("http", "missing_credentials").Inc();
                await HttpAccess.ChallengeAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(IndexPage(registry, principal), context.RequestAborted);
        });
        app.MapGet("/{**path}", async (string path, HttpContext context) =>
        {
            if (!path.EndsWith('/') || !StreamId.TryCreate(path.TrimEnd('/'), out StreamId id))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!await HttpAccess.RequireAsync(context, AccessAction.Read, id))
            {
                return;
            }

            context.Response.Headers.CacheControl = "no-cache";
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.Body.WriteAsync(PlayerPage.Value, context.RequestAborted);
        });
    }

    private static string IndexPage(StreamRegistry registry, Principal principal)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MediaServer</title>")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:2em}li{margin:.3em 0}</style></head><body>")
            .Append("<h1>Paths being published</h1><ul id=\"paths\">");
        int listed = 0;
        foreach (MediaStream stream in registry.Streams.OrderBy(s => s.Id.Path, StringComparer.Ordinal))
        {
            if (!principal.Allows(AccessAction.Read, stream.Id))
            {
                continue;
            }

            listed++;
            string path = stream.Id.Path;
            string href = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
            string codecs = string.Join(", ", stream.Tracks.Select(t => t.Format.EncodingName));
            html.Append("<li><a href=\"/").Append(href).Append("/\">").Append(WebUtility.HtmlEncode(path)).Append("</a> ")
                .Append(WebUtility.HtmlEncode(codecs)).Append(", ").Append(stream.ReaderCount).Append(" readers</li>");
        }

        if (listed == 0)
        {
            html.Append("<li>none yet: publish with <code>ffmpeg -re -i clip.mp4 -c copy -f rtsp rtsp://host:8554/cam1</code></li>");
        }

        return html.Append("</ul></body></html>").ToString();
    }

    private static byte[] LoadPlayerPage()
    {
        using Stream resource = typeof(PlayerEndpoints).Assembly.GetManifestResourceStream("MediaServer.Http.Player.player.html")
            ?? throw new InvalidOperationException("The player page is not embedded in the server.");
        using var memory = new MemoryStream();
        resource.CopyTo(memory);
        return memory.ToArray();
    }
}
