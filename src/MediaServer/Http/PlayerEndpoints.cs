using System.Net;
using System.Text;
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
        app.MapGet("/", (StreamRegistry registry) => Results.Content(IndexPage(registry), "text/html; charset=utf-8"));
        app.MapGet("/{**path}", (string path, HttpContext context) =>
        {
            if (!path.EndsWith('/') || !StreamId.TryCreate(path.TrimEnd('/'), out _))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(PlayerPage.Value, "text/html; charset=utf-8");
        });
    }

    private static string IndexPage(StreamRegistry registry)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MediaServer</title>")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:2em}li{margin:.3em 0}</style></head><body>")
            .Append("<h1>Paths being published</h1><ul id=\"paths\">");
        foreach (MediaStream stream in registry.Streams.OrderBy(s => s.Id.Path, StringComparer.Ordinal))
        {
            string path = stream.Id.Path;
            string href = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
            string codecs = string.Join(", ", stream.Tracks.Select(t => t.Format.EncodingName));
            html.Append("<li><a href=\"/").Append(href).Append("/\">").Append(WebUtility.HtmlEncode(path)).Append("</a> ")
                .Append(WebUtility.HtmlEncode(codecs)).Append(", ").Append(stream.ReaderCount).Append(" readers</li>");
        }

        if (registry.Count == 0)
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
