using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;

namespace MediaServer.EndToEnd.Access;

/// <summary>WHEP, the API, metrics and the pages under authentication, with a real camera publishing.</summary>
[Trait("Category", "EndToEnd")]
public class HttpAccessTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static HttpClient Client(MediaServerHost host, AuthenticationHeaderValue? auth = null)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        http.DefaultRequestHeaders.Authorization = auth;
        return http;
    }

    private static StringContent Sdp(string body, string type = "application/sdp") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(type));

    [Fact]
    public async Task Metrics_and_api_need_their_permissions_and_list_only_readable_paths()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        string clip = await Clips.H264Gop4sAsync();
        await using FfmpegProcess cam1 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", clip);
        await using FfmpegProcess cam2 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home2/cam"), "home2/cam", clip);

        using HttpClient anonymous = Client(host);
        using HttpResponseMessage challenge = await anonymous.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        string[] schemes = [.. challenge.Headers.WwwAuthenticate.Select(h => h.Scheme)];
        Assert.Equal(["Basic", "Bearer"], schemes);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/paths")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("")).StatusCode);

        using HttpClient alice = Client(host, AccessConfig.Basic("alice", "alice-pw"));
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("metrics")).StatusCode);
        string alicePaths = await alice.GetStringAsync("v1/paths");
        Assert.Contains("home1/cam", alicePaths, StringComparison.Ordinal);
        Assert.DoesNotContain("home2", alicePaths, StringComparison.Ordinal);
        string index = await alice.GetStringAsync("");
        Assert.Contains("home1/cam", index, StringComparison.Ordinal);
        Assert.DoesNotContain("home2", index, StringComparison.Ordinal);

        using HttpClient ops = Client(host, AccessConfig.Basic("ops", "ops-pw"));
        string metrics = await ops.GetStringAsync("metrics");
        Assert.Contains("mediaserver_auth_failures_total", metrics, StringComparison.Ordinal);
        Assert.Contains("mediaserver_isolation_violations_total 0", metrics, StringComparison.Ordinal);

        using HttpClient wrong = Client(host, AccessConfig.Basic("ops", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("metrics")).StatusCode);
        using HttpClient badToken = Client(host, new AuthenticationHeaderValue("Bearer", "e30.e30.AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await badToken.GetAsync("v1/paths")).StatusCode);
    }

    [Fact]
    public async Task A_whep_session_belongs_to_the_principal_that_made_it()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess cam = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());

        using HttpClient anonymous = Client(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("home1/cam/whep", Sdp(Offer))).StatusCode);
        using HttpClient bob = Client(host, AccessConfig.Basic("bob", "bob-pw"));
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync("home1/cam/whep", Sdp(Offer))).StatusCode);

        using HttpClient alice = Client(host, AccessConfig.Basic("alice", "alice-pw"));
        using HttpResponseMessage created = await alice.PostAsync("home1/cam/whep", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Uri resource = created.Headers.Location!;

        // Knowing the URL is not enough: to anyone else the resource does not exist.
        using var bobDelete = new HttpRequestMessage(HttpMethod.Delete, resource);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.SendAsync(bobDelete)).StatusCode);
        using var anonymousDelete = new HttpRequestMessage(HttpMethod.Delete, resource);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SendAsync(anonymousDelete)).StatusCode);
        string frag = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n";
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PatchAsync(resource, Sdp(frag, "application/trickle-ice-sdpfrag"))).StatusCode);
        Assert.Equal(1, host.WebRtcSessions().Count);

        using var aliceDelete = new HttpRequestMessage(HttpMethod.Delete, resource);
        Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(aliceDelete)).StatusCode);
        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline));
    }

    [Fact]
    public async Task A_bearer_token_lets_a_whep_client_play_only_the_paths_in_its_claim()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        string clip = await Clips.H264Gop4sAsync();
        await using FfmpegProcess cam1 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", clip);
        await using FfmpegProcess cam2 = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home2/cam"), "home2/cam", clip);
        string token = TestJwt.Issue("hub-42", ("read", "home2/cam"));

        using HttpClient hub = Client(host, new AuthenticationHeaderValue("Bearer", token));
        await using (WhepClient client = await WhepClient.ConnectAsync(hub, new Uri(hub.BaseAddress!, "home2/cam/whep"), Deadline))
        {
            Assert.True(await Eventually.TrueAsync(() => client.RtpPackets > 50, Deadline), "no media over the token's session");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await hub.PostAsync("home1/cam/whep", Sdp(Offer))).StatusCode);

        // The token may also come in the query, as a link to the player page carries it.
        using HttpClient anonymous = Client(host);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"home2/cam/?jwt={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"home1/cam/?jwt={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("home2/cam/")).StatusCode);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Http_failures_are_rate_limited_per_client_address()
    {
        await using MediaServerHost host = await TestHost.StartAsync([.. AccessConfig.Arguments, "--Auth:MaxFailuresPerMinute=3"]);
        using HttpClient guesser = Client(host, AccessConfig.Basic("ops", "guess"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("metrics")).StatusCode);
        }

        using HttpClient ops = Client(host, AccessConfig.Basic("ops", "ops-pw"));
        using HttpResponseMessage blocked = await ops.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
    }

    [Fact]
    public async Task While_an_address_is_blocked_credentials_already_accepted_keep_working()
    {
        await using MediaServerHost host = await TestHost.StartAsync([.. AccessConfig.Arguments, "--Auth:MaxFailuresPerMinute=3"]);
        string token = TestJwt.Issue("dashboard", ("api", null));
        using HttpClient ops = Client(host, AccessConfig.Basic("ops", "ops-pw"));
        using HttpClient dashboard = Client(host, new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync("v1/paths")).StatusCode);

        using HttpClient guesser = Client(host, AccessConfig.Basic("alice", "guess"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("v1/paths")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("v1/paths")).StatusCode);

        // The clients that logged in before are not cut off by a neighbour's guessing.
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync("v1/paths")).StatusCode);

        // A password already verified works from a new connection too; nothing new is looked at.
        using HttpClient opsAgain = Client(host, AccessConfig.Basic("ops", "ops-pw"));
        Assert.Equal(HttpStatusCode.OK, (await opsAgain.GetAsync("metrics")).StatusCode);
        using HttpClient wrong = Client(host, AccessConfig.Basic("ops", "not-it"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await wrong.GetAsync("metrics")).StatusCode);
        using HttpClient alice = Client(host, AccessConfig.Basic("alice", "alice-pw"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await alice.GetAsync("v1/paths")).StatusCode);

        // A token is remembered by the connection it was accepted on only.
        using HttpClient otherDashboard = Client(host, new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await otherDashboard.GetAsync("v1/paths")).StatusCode);
    }
}
