using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

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
    private static async Task<string> FirstResponseLineAsync(TcpClient tcp, int port, bool sendRequest = true)
    {
        NetworkStream stream = tcp.GetStream();
        if (sendRequest)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /v1/paths HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        }

        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    [Fact]
    public async Task A_connection_past_the_per_address_limit_gets_503_and_the_others_are_served()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Limits:MaxConnectionsPerAddress=2");
        using var first = new TcpClient();
        using var second = new TcpClient();
        using var third = new TcpClient();
        await first.ConnectAsync("127.0.0.1", host.HttpPort);
        await second.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(first, host.HttpPort));
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(second, host.HttpPort));

        await third.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 503 Service Unavailable", await FirstResponseLineAsync(third, host.HttpPort, sendRequest: false));

        using var neighbour = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await neighbour.ConnectAsync("127.0.0.1", host.HttpPort);
        Assert.Equal("HTTP/1.1 200 OK", await FirstResponseLineAsync(neighbour, host.HttpPort));
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
