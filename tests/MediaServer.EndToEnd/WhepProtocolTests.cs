using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.WebRtc;

namespace MediaServer.EndToEnd;

/// <summary>The WHEP resource protocol over HTTP, against the real server with a real camera.</summary>
[Trait("Category", "EndToEnd")]
public partial class WhepProtocolTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));

    private static StringContent Sdp(string body, string type = "application/sdp") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(type));

    private static HttpClient Client(MediaServerHost host) => new() { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };

    [Fact]
    public async Task Post_answers_with_201_location_etag_and_an_ice_lite_answer()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "home/cam1", await Clips.H264Gop4sAsync());
        using HttpClient http = Client(host);

        using HttpResponseMessage response = await http.PostAsync("home/cam1/whep", Sdp(Offer));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/sdp", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(ResourceUrl(), response.Headers.Location!.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        string answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1 {host.WebRtcPort} typ host", answer, StringComparison.Ordinal);
        Assert.Equal(1, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task Errors_get_their_http_status_and_leave_no_session()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using HttpClient http = Client(host);

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("nobody/whep", Sdp(Offer))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("cam1/whep", Sdp(Offer, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("cam1/whep", Sdp("v=0\r\nnot sdp"))).StatusCode);
        string noFingerprint = Regex.Replace(Offer, "a=fingerprint:.*\r?\n", string.Empty);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("cam1/whep", Sdp(noFingerprint))).StatusCode);
        string noH264 = Offer.Replace("H264/90000", "H263/90000", StringComparison.Ordinal);
        using HttpResponseMessage unplayable = await http.PostAsync("cam1/whep", Sdp(noH264));
        Assert.Equal(HttpStatusCode.BadRequest, unplayable.StatusCode);
        Assert.Contains("H264", await unplayable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var notAcceptable = new HttpRequestMessage(HttpMethod.Post, "cam1/whep") { Content = Sdp(Offer) };
        notAcceptable.Headers.Accept.ParseAdd("application/json");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await http.SendAsync(notAcceptable)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("cam1/whep/00112233445566778899aabbccddeeff")).StatusCode);

        Assert.Equal(0, host.WebRtcSessions().Count);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").ReaderCount == 0, TimeSpan.FromSeconds(10)), "the reader was not released");
    }

    [Fact]
    public async Task Options_is_a_cors_preflight()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using HttpClient http = Client(host);
        using var request = new HttpRequestMessage(HttpMethod.Options, "cam1/whep");
        request.Headers.Add("Origin", "http://example.test");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using HttpResponseMessage response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Location", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("application/sdp", response.Headers.GetValues("Accept-Post").Single());
    }

    [Fact]
    public async Task Patch_takes_trickle_ice_restarts_ice_and_checks_the_etag_then_delete_ends_the_session()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using HttpClient http = Client(host);
        using HttpResponseMessage created = await http.PostAsync("cam1/whep", Sdp(Offer));
        string resource = created.Headers.Location!.OriginalString;
        string answer = await created.Content.ReadAsStringAsync();
        string oldUfrag = Regex.Match(answer, "a=ice-ufrag:(.+)\r\n").Groups[1].Value;

        const string Frag = "application/trickle-ice-sdpfrag";
        string candidate = "a=ice-ufrag:6lQI\r\na=ice-pwd:0ELvEfvd0BqeEC2Qvpf6Y63Z\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n" +
            "a=candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host\r\n";
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PatchAsync(resource, Sdp(candidate))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PatchAsync(resource, Sdp(candidate, Frag))).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, resource) { Content = Sdp(candidate, Frag) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"not-the-etag\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await http.SendAsync(stale)).StatusCode);

        string restart = "a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword12\r\n";
        using HttpResponseMessage restarted = await http.PatchAsync(resource, Sdp(restart, Frag));
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        string fragment = await restarted.Content.ReadAsStringAsync();
        string newUfrag = Regex.Match(fragment, "a=ice-ufrag:(.+)\r\n").Groups[1].Value;
        Assert.NotEqual(oldUfrag, newUfrag);
        Assert.True(newUfrag.Length >= 16);
        Assert.NotEqual(created.Headers.ETag!.Tag, restarted.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(resource)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(resource)).StatusCode);
        Assert.Equal(0, host.WebRtcSessions().Count);
        Assert.True(await Eventually.TrueAsync(() => host.Stream("cam1").ReaderCount == 0, TimeSpan.FromSeconds(10)), "the reader was not released");
    }

    [Fact]
    public async Task Unbundled_session_has_a_transport_per_track_and_refuses_a_single_ice_restart_with_a_reason()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264OpusAsync());
        using HttpClient http = Client(host);
        using HttpResponseMessage created = await http.PostAsync("cam1/whep", Sdp(Offer.Replace("a=group:BUNDLE 0 1\r\n", "", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string answer = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("a=group:BUNDLE", answer, StringComparison.Ordinal);
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(2, session.TransportCount);
        Assert.Equal(2, Regex.Matches(answer, "a=ice-ufrag:(.+)\r\n").Select(m => m.Groups[1].Value).Distinct().Count());

        string resource = created.Headers.Location!.OriginalString;
        string restart = "a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword12\r\n";
        using HttpResponseMessage refused = await http.PatchAsync(resource, Sdp(restart, "application/trickle-ice-sdpfrag"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("bundled sessions only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(resource)).StatusCode);
        Assert.Equal(0, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task A_resource_url_works_only_under_its_own_path()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera one = await Camera.StartAsync(host, "home1/cam", await Clips.SolidAsync("red"));
        await using Camera two = await Camera.StartAsync(host, "home2/cam", await Clips.SolidAsync("blue"));
        using HttpClient http = Client(host);
        using HttpResponseMessage created = await http.PostAsync("home1/cam/whep", Sdp(Offer));
        string id = created.Headers.Location!.OriginalString.Split('/')[^1];

        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"home2/cam/whep/{id}")).StatusCode);
        Assert.Equal(1, host.WebRtcSessions().Count);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"home1/cam/whep/{id}")).StatusCode);
    }

    [Fact]
    public async Task Additional_hosts_are_offered_first_for_servers_behind_nat()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--WebRtc:AdditionalHosts:0=cams.example.net", "--WebRtc:AdditionalHosts:1=203.0.113.7");
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        using HttpClient http = Client(host);

        using HttpResponseMessage response = await http.PostAsync("cam1/whep", Sdp(Offer));
        string[] candidates = [.. (await response.Content.ReadAsStringAsync()).Split("\r\n").Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal))];

        Assert.Equal(3, candidates.Length);
        Assert.Contains($"203.0.113.7 {host.WebRtcPort} typ host", candidates[0], StringComparison.Ordinal);
        Assert.Contains($"cams.example.net {host.WebRtcPort} typ host", candidates[1], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1 {host.WebRtcPort} typ host", candidates[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_index_lists_published_paths_linking_to_their_players()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "home/cam1", await Clips.SolidAsync("red"));
        using HttpClient http = Client(host);

        string index = await http.GetStringAsync("/");
        string player = await http.GetStringAsync("home/cam1/");

        Assert.Contains("<a href=\"/home/cam1/\">home/cam1</a>", index, StringComparison.Ordinal);
        Assert.Contains("H264", index, StringComparison.Ordinal);
        Assert.Contains("RTCPeerConnection", player, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("home/cam1")).StatusCode);
    }

    [GeneratedRegex("^/home/cam1/whep/[0-9a-f]{32}$")]
    private static partial Regex ResourceUrl();
}
