using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>A refused WHEP offer leaves a log line with the path, the client and the reason.</summary>
[Trait("Category", "EndToEnd")]
public class WhepRefusalLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_refused_offer_is_logged_with_path_client_status_and_reason()
    {
        await using ServerProcess server = ServerProcess.Start();
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };

        using HttpResponseMessage wrongType = await http.PostAsync("cam9/whep", new StringContent("v=0", Encoding.UTF8, new MediaTypeHeaderValue("text/plain")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        using HttpResponseMessage unpublished = await http.PostAsync("cam8/whep", new StringContent("v=0", Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);

        Assert.True(await server.WaitForOutputAsync(
            "WHEP offer for cam9 from 127.0.0.1 refused with 415: the offer must be application/sdp", Deadline), server.Output);
        Assert.True(await server.WaitForOutputAsync(
            "WHEP offer for cam8 from 127.0.0.1 refused with 404: nobody publishes 'cam8'", Deadline), server.Output);
    }
}
