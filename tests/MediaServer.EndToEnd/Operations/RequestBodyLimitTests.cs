using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>
/// Every endpoint that reads a body answers one that is too large with 413, whether it comes
/// with a Content-Length or chunked, past the endpoint's own cap or past Kestrel's
/// Http:Limits:MaxRequestBodyBytes, and logs one warning line for it: no error, no stack trace.
/// </summary>
[Trait("Category", "EndToEnd")]
public class RequestBodyLimitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));

    [Theory]
    [InlineData(1048576)] // the default: WHEP's 64 KiB cap is passed first, the config API's 1 MiB and Kestrel's together
    [InlineData(16384)] // below WHEP's cap: Kestrel stops every read first
    public async Task Oversized_bodies_get_413_and_a_warning_line_never_an_unhandled_exception(int maxRequestBodyBytes)
    {
        await using ServerProcess server = ServerProcess.Start("--Logging:Format=json", $"--Http:Limits:MaxRequestBodyBytes={maxRequestBodyBytes}");
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);
        string url = $"rtsp://127.0.0.1:{server.RtspPort}/cam1";
        await using FfmpegProcess camera = FfmpegProcess.Start(
            "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", await Clips.H264Gop4sAsync(),
            "-c", "copy", "-t", "120", "-f", "rtsp", "-rtsp_transport", "tcp", url);
        Assert.True(await RtspProbe.WaitUntilPublishedAsync(server.RtspPort, "cam1", Deadline, () => camera.HasExited), camera.Stderr);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };
        using HttpResponseMessage created = await http.PostAsync("cam1/whep", new StringContent(Offer, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string resource = created.Headers.Location!.OriginalString;

        int sent = 0;
        foreach (int size in new[] { 100 * 1024, 2 * 1024 * 1024 })
        {
            foreach (bool chunked in new[] { true, false })
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(server.HttpPort, "POST", "cam1/whep", "application/sdp", Sdp(size), chunked));
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(server.HttpPort, "PATCH", resource, "application/trickle-ice-sdpfrag", Sdp(size), chunked));
                sent += 2;
                if (size > Math.Min(1024 * 1024, maxRequestBodyBytes))
                {
                    // Over the config API's 1 MiB (or the server's limit); smaller is a body it reads.
                    Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(server.HttpPort, "PUT", "v1/config/paths", "application/json", Json(size), chunked));
                    Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(server.HttpPort, "PUT", "v1/config/users", "application/json", Json(size), chunked));
                    sent += 2;
                }
            }
        }

        // The server is fine afterwards: the session still answers, the rules did not change.
        using HttpResponseMessage paths = await http.GetAsync("v1/config/paths");
        Assert.Equal(HttpStatusCode.OK, paths.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(resource)).StatusCode);

        List<JsonElement> entries = LogEntries(server.Output);
        Assert.All(entries, e => Assert.False(
            e.GetProperty("LogLevel").GetString() is "Error" or "Critical" || e.TryGetProperty("Exception", out _),
            "logged: " + e));
        int refusals = entries.Count(e => e.GetProperty("LogLevel").GetString() == "Warning"
            && e.GetProperty("Message").GetString()!.Contains("413", StringComparison.Ordinal));
        Assert.InRange(refusals, 1, sent);
    }

    /// <summary>
    /// The status the server answers. The body is written while the answer is read, as a client
    /// uploading a large body does: a server that answers early and closes may cut the upload
    /// short, which is its right, so write errors are expected and ignored.
    /// </summary>
    private static async Task<HttpStatusCode> SendAsync(int port, string method, string path, string contentType, byte[] body, bool chunked)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        string framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}";
        string target = path.StartsWith('/') ? path : "/" + path;
        byte[] head = Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {contentType}\r\n{framing}\r\n\r\n");
        Task upload = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(head);
                for (int offset = 0; offset < body.Length; offset += 8192)
                {
                    int length = Math.Min(8192, body.Length - offset);
                    if (chunked)
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"));
                    }

                    await stream.WriteAsync(body.AsMemory(offset, length));
                    if (chunked)
                    {
                        await stream.WriteAsync("\r\n"u8.ToArray());
                    }
                }

                if (chunked)
                {
                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        });

        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        using var timeout = new CancellationTokenSource(Deadline);
        string statusLine = await reader.ReadLineAsync(timeout.Token) ?? "";
        tcp.Client.Close(); // stops the upload if it is still going
        await upload;
        return statusLine.Split(' ', 3) is [_, string code, ..] ? (HttpStatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static byte[] Sdp(int size) => Encoding.ASCII.GetBytes("a=ice-ufrag:" + new string('u', size));

    // Valid JSON as far as it goes, so the body is read on and on rather than refused at its first byte.
    private static byte[] Json(int size) => Encoding.ASCII.GetBytes("[{\"name\":\"" + new string('a', size) + "\"}]");

    private static List<JsonElement> LogEntries(string output)
    {
        var entries = new List<JsonElement>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using JsonDocument document = JsonDocument.Parse(line);
            entries.Add(document.RootElement.Clone());
        }

        return entries;
    }
}
