using System.Net;
using System.Net.Http.Headers;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>Refusals an operator has to explain leave a log line that says who asked for what, and why not.</summary>
[Trait("Category", "EndToEnd")]
public class RequestLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_refused_multicast_setup_logs_the_client_the_path_and_what_it_asked_for()
    {
        await using ServerProcess server = ServerProcess.Start();
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);

        (int status, string client) = await RtspProbe.RequestAsync(
            server.RtspPort, "SETUP", "cam1/trackID=0", "Transport: RTP/AVP;multicast;destination=224.2.0.1;port=5000-5001;ttl=1");

        Assert.Equal(461, status);
        string expected = $"SETUP of cam1/trackID=0 from {client} refused with 461 Unsupported Transport: RTP/AVP;multicast;destination=224.2.0.1";
        Assert.True(await server.WaitForOutputAsync(expected, Deadline), server.Output);
        Assert.Contains("port=5000-5001", server.Output, StringComparison.Ordinal);
        Assert.Contains("multicast is not offered", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_with_an_empty_user_name_are_logged_as_anonymous()
    {
        await using ServerProcess server = ServerProcess.Start(
            "--Auth:Users:0:Name=alice", "--Auth:Users:0:Password=secret", "--Auth:Users:0:Permissions:0:Action=read");
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);
        const string EmptyUserBasic = "Og=="; // ":" — what a browser's login box sends when left blank

        (int rtspStatus, _) = await RtspProbe.RequestAsync(server.RtspPort, "DESCRIBE", "cam1", $"Authorization: Basic {EmptyUserBasic}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/paths");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", EmptyUserBasic);
        using HttpResponseMessage httpResponse = await http.SendAsync(request);

        Assert.Equal(401, rtspStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, httpResponse.StatusCode);
        Assert.True(await server.WaitForOutputAsync("RTSP authentication failed for anonymous", Deadline), server.Output);
        Assert.True(await server.WaitForOutputAsync("HTTP authentication failed for anonymous", Deadline), server.Output);
        Assert.DoesNotContain("user ''", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("user  from", server.Output, StringComparison.Ordinal);
    }
}
