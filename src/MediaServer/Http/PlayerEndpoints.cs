using System.Net;
using System.Text;
using System.Text.Json;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;

namespace MediaServer.Http;

/// <summary>
/// The pages a person opens: <c>GET /</c> lists the paths being published, each linking to its
/// player at <c>GET /{path}/</c>, a WHEP viewer shipped inside the server. The player reads
/// <c>GET /{path}/status</c> to tell a camera that left (or was replaced) from a slow one, and to
/// warn about B-frames.
/// </summary>
internal static class PlayerEndpoints
{
    private const string StatusSuffix = "/status";

    private static readonly Lazy<byte[]> PlayerPage = new(LoadPlayerPage);

    public static void MapPlayer(this WebApplication app)
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
        app.MapGet("/{**path}", async (string path, HttpContext context, StreamRegistry registry) =>
        {
            if (path.EndsWith(StatusSuffix, StringComparison.Ordinal) &&
                StreamId.TryCreate(path[..^StatusSuffix.Length], out StreamId statusId))
            {
                await WriteStatusAsync(context, registry, statusId);
                return;
            }

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

    /// <summary>
    /// What the player needs to know about its path: whether it is published, which publication it
    /// is (a new camera on the path is a new generation), and whether its video has B-frames.
    /// </summary>
    private static async Task WriteStatusAsync(HttpContext context, StreamRegistry registry, StreamId id)
    {
        if (!await HttpAccess.RequireAsync(context, AccessAction.Read, id))
        {
            return;
        }

        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            bool published = registry.TryGet(id, out MediaStream stream) && !stream.IsClosed;
            json.WriteBoolean("published", published);
            if (published)
            {
                json.WriteNumber("generation", stream.Generation);
                json.WriteBoolean("bFrames", stream.Tracks.Any(t => t.HasBFrames));
            }

            json.WriteEndObject();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }

    private static string IndexPage(StreamRegistry registry, Principal principal)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MediaServer</title>")
            .Append("<link rel=\"icon\" href=\"data:,\">")
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
