using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Access;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Stun;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Whip;

/// <summary>The WHIP resource protocol over HTTP (RFC 9725), against the real server.</summary>
[Trait("Category", "EndToEnd")]
public partial class WhipProtocolTests
{
    private static readonly string Offer = WhipClient.Offer(
        IceCredentials.NewUfrag(), IceCredentials.NewPassword(), DtlsCertificate.Generate(DateTimeOffset.UtcNow).Fingerprint);

    private static readonly string[] Paths =
    [
        "--Paths:0:Name=cam1",
        "--Paths:1:Name=open", "--Paths:1:OverridePublisher=true",
        "--Paths:2:Name=pulled", "--Paths:2:Source=rtsp://127.0.0.1:9/cam",
    ];

    private static StringContent Sdp(string body, string type = "application/sdp") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(type));

    private static HttpClient Client(MediaServerHost host) => new() { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };

    [Fact]
    public async Task Post_answers_201_with_location_etag_and_a_recvonly_answer_without_rtx_or_header_extensions()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Paths);
        using HttpClient http = Client(host);

        using HttpResponseMessage response = await http.PostAsync("cam1/whip", Sdp(Offer));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/sdp", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(ResourceUrl(), response.Headers.Location!.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        string answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Contains("a=recvonly", answer, StringComparison.Ordinal);
        Assert.Contains("a=rtcp-fb:96 nack pli", answer, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1 {host.WebRtcPort} typ host", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("rtx", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("a=extmap", answer, StringComparison.Ordinal);
        Assert.Equal(["H264", "opus"], host.Stream("cam1").Tracks.Select(t => t.Format.EncodingName));
        Assert.Equal(1, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task Errors_get_their_http_status_and_leave_no_session()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Paths);
        using HttpClient http = Client(host);

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("nobody/whip", Sdp(Offer))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("cam1/whip", Sdp(Offer, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("cam1/whip", Sdp("v=0\r\nnot sdp"))).StatusCode);
        string nothing = Offer.Replace("H264/90000", "H263/90000", StringComparison.Ordinal).Replace("opus/48000/2", "speex/16000", StringComparison.Ordinal);
        using HttpResponseMessage unpublishable = await http.PostAsync("cam1/whip", Sdp(nothing));
        Assert.Equal(HttpStatusCode.BadRequest, unpublishable.StatusCode);
        Assert.Contains("H264", await unpublishable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using HttpResponseMessage pulled = await http.PostAsync("pulled/whip", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Conflict, pulled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("cam1/whip/00112233445566778899aabbccddeeff")).StatusCode);

        Assert.Equal(0, host.WebRtcSessions().Count);
        Assert.Equal(0, Registry(host).Count);
    }

    [Fact]
    public async Task A_busy_path_is_409_unless_it_allows_override_which_ends_the_first_publisher()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Paths);
        using HttpClient http = Client(host);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("cam1/whip", Sdp(Offer))).StatusCode);

        using HttpResponseMessage busy = await http.PostAsync("cam1/whip", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);

        using HttpResponseMessage first = await http.PostAsync("open/whip", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using HttpResponseMessage second = await http.PostAsync("open/whip", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        string firstId = first.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.True(await Eventually.TrueAsync(() => !host.WebRtcSessions().TryGet(firstId, out _), TimeSpan.FromSeconds(5)), "the replaced publisher's session lives on");
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(first.Headers.Location)).StatusCode);
        Assert.Equal(2, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task Max_publishers_reached_is_503()
    {
        await using MediaServerHost host = await TestHost.StartAsync([.. Paths, "--Streams:MaxPublishers=1"]);
        using HttpClient http = Client(host);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("cam1/whip", Sdp(Offer))).StatusCode);

        using HttpResponseMessage refused = await http.PostAsync("open/whip", Sdp(Offer));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(1, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task Delete_ends_the_session_and_unpublishes_and_a_second_delete_is_404()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Paths);
        using HttpClient http = Client(host);
        using HttpResponseMessage created = await http.PostAsync("cam1/whip", Sdp(Offer));
        string resource = created.Headers.Location!.OriginalString;

        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(resource.Replace("/whip/", "/whep/", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(resource)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(resource)).StatusCode);

        Assert.Equal(0, host.WebRtcSessions().Count);
        Assert.True(await Eventually.TrueAsync(() => Registry(host).Count == 0, TimeSpan.FromSeconds(5)), "the stream is still published");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("cam1/whip", Sdp(Offer))).StatusCode);
    }

    [Fact]
    public async Task Patch_takes_trickle_ice_and_restarts_ice_as_whep_does()
    {
        await using MediaServerHost host = await TestHost.StartAsync(Paths);
        using HttpClient http = Client(host);
        using HttpResponseMessage created = await http.PostAsync("cam1/whip", Sdp(Offer));
        string resource = created.Headers.Location!.OriginalString;
        const string Frag = "application/trickle-ice-sdpfrag";

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PatchAsync(resource, Sdp("a=end-of-candidates\r\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PatchAsync(resource, Sdp("a=end-of-candidates\r\n", Frag))).StatusCode);
        using HttpResponseMessage restarted = await http.PatchAsync(resource, Sdp("a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword12\r\n", Frag));
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.Contains("a=ice-ufrag:", await restarted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_needs_the_publish_permission_and_a_session_is_its_owners_alone()
    {
        await using MediaServerHost host = await TestHost.StartAsync([.. AccessConfig.Arguments, .. Paths]);
        using HttpClient http = Client(host);

        using HttpResponseMessage anonymous = await http.PostAsync("cam1/whip", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, "cam1/whip", AccessConfig.Basic("alice", "alice-pw"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, "cam1/whip", Bearer(TestJwt.Issue("viewer", ("read", "cam1"))))).StatusCode);

        using HttpResponseMessage created = await Post(http, "cam1/whip", AccessConfig.Basic("camera", "cam-secret"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using HttpResponseMessage token = await Post(http, "open/whip", Bearer(TestJwt.Issue("encoder", ("publish", "open"))));
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);

        using var byAnother = new HttpRequestMessage(HttpMethod.Delete, created.Headers.Location);
        byAnother.Headers.Authorization = AccessConfig.Basic("alice", "alice-pw");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(byAnother)).StatusCode);
        using var byOwner = new HttpRequestMessage(HttpMethod.Delete, created.Headers.Location);
        byOwner.Headers.Authorization = AccessConfig.Basic("camera", "cam-secret");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(byOwner)).StatusCode);
    }

    private static StreamRegistry Registry(MediaServerHost host) => host.Services.GetRequiredService<StreamRegistry>();

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static async Task<HttpResponseMessage> Post(HttpClient http, string url, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Sdp(Offer) };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    [GeneratedRegex("^/cam1/whip/[0-9a-f]{32}$")]
    private static partial Regex ResourceUrl();
}
