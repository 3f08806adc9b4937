using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Access;

/// <summary>A WHEP resource belongs to one identity, not to a display name: tokens without a subject are each their own owner.</summary>
[Trait("Category", "EndToEnd")]
public class WhepOwnershipTests
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "chromium-offer.sdp"));
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static HttpClient Client(MediaServerHost host, AuthenticationHeaderValue auth) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/"), DefaultRequestHeaders = { Authorization = auth } };

    private static StringContent Sdp(string body, string type = "application/sdp") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(type));

    private static async Task<Uri> CreateAsync(HttpClient owner)
    {
        using HttpResponseMessage created = await owner.PostAsync("home1/cam/whep", Sdp(Offer));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.Location!;
    }

    private static async Task AssertUnknownToAsync(HttpClient other, Uri resource)
    {
        string frag = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n";
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsync(resource, Sdp(frag, "application/trickle-ice-sdpfrag"))).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, resource);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(delete)).StatusCode);
    }

    private static async Task AssertOwnerDeletesAsync(MediaServerHost host, HttpClient owner, Uri resource)
    {
        using var delete = new HttpRequestMessage(HttpMethod.Delete, resource);
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(delete)).StatusCode);
        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, Deadline));
    }

    [Fact]
    public async Task Two_tokens_without_a_subject_do_not_own_each_others_resources()
    {
        await using MediaServerHost host = await TestHost.StartAsync(AccessConfig.Arguments);
        await using FfmpegProcess cam = await UrlCamera.StartAsync(host, AccessConfig.CameraUrl(host, "home1/cam"), "home1/cam", await Clips.H264Gop4sAsync());
        using HttpClient first = Client(host, new AuthenticationHeaderValue("Bearer", TestJwt.Issue(null, ("read", "home1/cam"))));
        using HttpClient second = Client(host, new AuthenticationHeaderValue("Bearer", TestJwt.Issue(null, ("read", "home1/cam"))));

        Uri resource = await CreateAsync(first);
        await AssertUnknownToAsync(second, resource);
        Assert.Equal(1, host.WebRtcSessions().Count);
        Assert.Equal("jwt:token", host.WebRtcSessions().All.Single().Owner.Name);
        await AssertOwnerDeletesAsync(host, first, resource);
    }
}
