using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using MediaServer.Core.Limits;
using MediaServer.Core.Metrics;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Access;

/// <summary>HTTP-side limits: connections per address and WebRTC sessions, each a clear refusal.</summary>
[Trait("Category", "EndToEnd")]
public class HttpLimitTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));

    /// <summary>
    /// The status line the server sends. A refused connection is answered at once, so nothing is
    /// sent on it: bytes arriving after the server closed would make it reset the connection.
    /// </summary>
    private static async Task<string> FirstResponseLineAsync(TcpClient tcp, int port, bool sendRequest = true, string path = "/v1/paths")
    {
        NetworkStream stream = tcp.GetStream();
        if (sendRequest)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        }

        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    /// <summary>One request on a new connection: the whole response, and whether the server then closed the connection.</summary>
    private static async Task<(string Response, bool Closed)> ExchangeAsync(int port, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        var response = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return (response.ToString(), true);
        }
        catch (OperationCanceledException)
        {
            return (response.ToString(), false);
        }
        catch (IOException)
        {
            return (response.ToString(), true);
        }
    }

    [Fact]
    public async Task A_connection_past_the_per_address_limit_gets_503_and_the_others_are_served()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Limits:MaxConnectionsPerAddress=2", "--Limits:MaxProbeConnectionsPerAddress=1");
        using var first = new TcpClient();
        using var second = new TcpClient();
        using var probeOnly = new TcpClient();
        using var third = new TcpClient();
        await first.ConnectAsync("127.0.0.1", host.HttpPort);
        await second.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(first, host.HttpPort));
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(second, host.HttpPort));

        // The address's one probe-only connection is taken (and held silent); the next is refused
        // at accept, before it sends anything.
        await probeOnly.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.True(await Eventually.TrueAsync(() => host.Services.GetRequiredService<ConnectionLimiter>().Open == 3, TimeSpan.FromSeconds(10)));
        await third.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 503 Service Unavailable", await FirstResponseLineAsync(third, host.HttpPort, sendRequest: false));

        using var neighbour = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await neighbour.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(neighbour, host.HttpPort));
    }

    [Fact]
    public async Task Health_probes_are_answered_for_an_address_at_its_limit_and_nothing_else_is()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Limits:MaxConnectionsPerAddress=1");
        using var held = new TcpClient();
        await held.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(held, host.HttpPort));
        double before = MetricsRegistry.LimitRejections.WithLabels("connections_per_address").Value;

        foreach (string probe in new[] { "/healthz", "/readyz", "/healthz" })
        {
            (string response, bool closed) = await ExchangeAsync(host.HttpPort, probe);
            Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
            Assert.True(closed, $"the probe-only connection for {probe} stayed open");
        }

        (string refused, bool refusedClosed) = await ExchangeAsync(host.HttpPort, "/v1/paths");
        Assert.StartsWith("HTTP/1.1 503 Service Unavailable", refused, StringComparison.Ordinal);
        Assert.Contains("Connection: close", refused, StringComparison.OrdinalIgnoreCase);
        Assert.True(refusedClosed, "the refused connection stayed open");
        Assert.True(MetricsRegistry.LimitRejections.WithLabels("connections_per_address").Value >= before + 1, "the refusal is not counted");
    }

    [Fact]
    public async Task Oversized_headers_and_bodies_get_431_and_413()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Http:Limits:MaxRequestHeaderBytes=2048", "--Http:Limits:MaxRequestBodyBytes=1000");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        using var big = new HttpRequestMessage(HttpMethod.Get, "v1/paths");
        big.Headers.Add("X-Pad", new string('a', 4096));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await http.SendAsync(big)).StatusCode);

        using var body = new StringContent(new string('v', 5000), Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync("cam1/whep", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v1/paths")).StatusCode);
    }

    [Fact]
    public async Task Offers_past_the_webrtc_session_limit_get_503()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:MaxSessions=1");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        var sdp = new MediaTypeHeaderValue("application/sdp");
        using HttpResponseMessage first = await http.PostAsync("cam1/whep", new StringContent(Offer, Encoding.UTF8, sdp));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using HttpResponseMessage second = await http.PostAsync("cam1/whep", new StringContent(Offer, Encoding.UTF8, sdp));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Contains("WebRtc:MaxSessions", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, host.WebRtcSessions().Count);
    }
}
