using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using MediaServer.Core.Metrics;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.WebRtc;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Access;

/// <summary>
/// One client cannot take every WebRTC session: offers are bound per client address and per
/// authenticated principal, each refusal a 503 naming the limit, and a slot comes back when its
/// session ends.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WebRtcSessionLimitTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));

    private static HttpClient Client(MediaServerHost host, string? user = null, string fromAddress = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(fromAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = AccessConfig.Basic(user, user + "-pw");
        }

        return http;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Location)> PostOfferAsync(HttpClient http)
    {
        using var content = new StringContent(Offer, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));
        using HttpResponseMessage response = await http.PostAsync("cam1/whep", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    private static double Rejections(string limit) => MetricsRegistry.LimitRejections.WithLabels(limit).Value;

    [Fact]
    public async Task Offers_past_the_per_address_limit_get_503_until_a_session_of_that_address_ends()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:MaxSessionsPerAddress=2");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using HttpClient local = Client(host);
        double before = Rejections("webrtc_sessions_per_address");

        (HttpStatusCode status, _, string? first) = await PostOfferAsync(local);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(local)).Status);
        (HttpStatusCode refused, string body, _) = await PostOfferAsync(local);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Contains("WebRtc:MaxSessionsPerAddress", body, StringComparison.Ordinal);
        Assert.True(Rejections("webrtc_sessions_per_address") >= before + 1, "the refusal is not counted");
        Assert.Equal(2, host.WebRtcSessions().Count);

        // Another address is not held to 127.0.0.1's sessions.
        using HttpClient neighbour = Client(host, fromAddress: "127.0.0.2");
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(neighbour)).Status);

        // Ending one gives its slot back at once.
        Assert.Equal(HttpStatusCode.OK, (await local.DeleteAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(local)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostOfferAsync(local)).Status);
    }

    [Fact]
    public async Task Offers_past_the_per_principal_limit_get_503_and_another_user_on_the_same_address_is_served()
    {
        await using MediaServerHost host = await TestHost.StartAsync(
            "--WebRtc:MaxSessionsPerPrincipal=2",
            "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=camera-pw", "--Auth:Users:0:Permissions:0:Action=publish",
            "--Auth:Users:1:Name=alice", "--Auth:Users:1:Password=alice-pw", "--Auth:Users:1:Permissions:0:Action=read",
            "--Auth:Users:2:Name=bob", "--Auth:Users:2:Password=bob-pw", "--Auth:Users:2:Permissions:0:Action=read");
        await using FfmpegProcess camera = await UrlCamera.StartAsync(
            host, $"rtsp://camera:camera-pw@127.0.0.1:{host.RtspPort}/cam1", "cam1", await Clips.H264Gop4sAsync());
        using HttpClient alice = Client(host, "alice");
        using HttpClient bob = Client(host, "bob");
        double before = Rejections("webrtc_sessions_per_principal");

        (HttpStatusCode status, _, string? first) = await PostOfferAsync(alice);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(alice)).Status);
        (HttpStatusCode refused, string body, _) = await PostOfferAsync(alice);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
        Assert.Contains("WebRtc:MaxSessionsPerPrincipal", body, StringComparison.Ordinal);
        Assert.True(Rejections("webrtc_sessions_per_principal") >= before + 1, "the refusal is not counted");

        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(bob)).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(bob)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostOfferAsync(bob)).Status);

        Assert.Equal(HttpStatusCode.OK, (await alice.DeleteAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(alice)).Status);
        Assert.Equal(4, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task A_session_that_times_out_gives_its_slot_back()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:MaxSessionsPerAddress=1", "--WebRtc:HandshakeTimeoutSeconds=1");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using HttpClient local = Client(host);
        WebRtcSessionQuota quota = host.Services.GetRequiredService<WebRtcServer>().Quota;

        // Nobody answers ICE for this offer, so the server ends the session after the handshake timeout.
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(local)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostOfferAsync(local)).Status);
        Assert.True(await Eventually.TrueAsync(() => quota.Count == 0 && host.WebRtcSessions().Count == 0, TimeSpan.FromSeconds(15)),
            $"the timed-out session still holds its slot ({quota.Count})");
        Assert.Equal(HttpStatusCode.Created, (await PostOfferAsync(local)).Status);
    }
}
