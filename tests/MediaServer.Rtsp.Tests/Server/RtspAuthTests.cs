using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>Who may publish and read over RTSP: Basic and Digest (MD5, SHA-256) against configured users.</summary>
public class RtspAuthTests
{
    private static readonly string[] Users =
    [
        "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=cam-secret",
        "--Auth:Users:0:Permissions:0:Action=publish", "--Auth:Users:0:Permissions:0:Path=~^home1/",
        "--Auth:Users:1:Name=alice", "--Auth:Users:1:Password=alice-pw",
        "--Auth:Users:1:Permissions:0:Action=read", "--Auth:Users:1:Permissions:0:Path=~^home1/",
        "--Auth:Users:2:Name=bob", "--Auth:Users:2:Password=bob-pw",
        "--Auth:Users:2:Permissions:0:Action=read", "--Auth:Users:2:Permissions:0:Path=~^home2/",
    ];

    private static string Basic(string user, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string Digest(RtspReply challenge, string algorithm, string user, string password, string method, string uri)
    {
        string header = challenge.Values("WWW-Authenticate").First(v => v.Contains($"algorithm={algorithm}", StringComparison.Ordinal));
        string realm = Field(header, "realm");
        string nonce = Field(header, "nonce");
#pragma warning disable CA5351 // Digest MD5 is what the cameras under test speak.
        Func<string, string> hash = algorithm == "MD5"
            ? text => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)))
            : text => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
        string response = hash($"{hash($"{user}:{realm}:{password}")}:{nonce}:{hash($"{method}:{uri}")}");
        return $"Authorization: Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={algorithm}, response=\"{response}\"";
    }

    private static string Field(string header, string name)
    {
        int start = header.IndexOf(name + "=\"", StringComparison.Ordinal) + name.Length + 2;
        return header[start..header.IndexOf('"', start)];
    }

    private static async Task<RawRtspClient> PublishAsync(MediaServerHost host, string path)
    {
        RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        string auth = Basic("camera", "cam-secret");
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", host.Url(path), auth, TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", host.Url(path) + "/streamid=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n" + auth)).Status);
        Assert.Equal(200, (await camera.RequestAsync("RECORD", host.Url(path), auth)).Status);
        await TestMedia.SendKeyframeAsync(camera, 1, 1000, tag: 1);
        return camera;
    }

    [Fact]
    public async Task Without_credentials_publish_and_read_get_401_with_digest_and_basic_challenges_but_options_works()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", host.Url("home1/cam"))).Status);

        RtspReply announce = await client.RequestAsync("ANNOUNCE", host.Url("home1/cam"), body: TestMedia.H264Sdp);
        Assert.Equal(401, announce.Status);
        string[] challenges = [.. announce.Values("WWW-Authenticate")];
        Assert.Equal(3, challenges.Length);
        Assert.StartsWith("Digest realm=\"MediaServer\", nonce=\"", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenges[1], StringComparison.Ordinal);
        Assert.Equal("Basic realm=\"MediaServer\"", challenges[2]);
        Assert.Equal(32, Field(challenges[0], "nonce").Length);

        Assert.Equal(401, (await client.RequestAsync("DESCRIBE", host.Url("home1/cam"))).Status);
        Assert.Equal(0, host.Services.GetRequiredService<Core.Streams.StreamRegistry>().Count);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public async Task A_camera_publishes_with_digest_and_a_wrong_response_is_refused(string algorithm)
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        string url = host.Url("home1/door");
        RtspReply challenge = await camera.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        Assert.Equal(401, challenge.Status);

        string wrong = Digest(challenge, algorithm, "camera", "not-the-password", "ANNOUNCE", url);
        Assert.Equal(401, (await camera.RequestAsync("ANNOUNCE", url, wrong, TestMedia.H264Sdp)).Status);

        string right = Digest(challenge, algorithm, "camera", "cam-secret", "ANNOUNCE", url);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", url, right, TestMedia.H264Sdp)).Status);

        // Like many cameras, it does not repeat Authorization: the connection stays authenticated.
        Assert.Equal(200, (await camera.RequestAsync("SETUP", url + "/streamid=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record")).Status);
        Assert.Equal(200, (await camera.RequestAsync("RECORD", url)).Status);
    }

    [Fact]
    public async Task A_digest_response_computed_for_another_uri_is_refused_and_counted()
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Users, "--Auth:MaxFailuresPerMinute=1"]);
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        string url = host.Url("home1/door");
        RtspReply challenge = await camera.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        Assert.Equal(401, challenge.Status);

        // A response captured for another URL (valid there, same nonce) does not open this one.
        string forOther = Digest(challenge, "SHA-256", "camera", "cam-secret", "ANNOUNCE", host.Url("home1/other"));
        Assert.Equal(401, (await camera.RequestAsync("ANNOUNCE", url, forOther, TestMedia.H264Sdp)).Status);
        Assert.True(host.Services.GetRequiredService<Core.Access.AuthFailureLimiter>().IsBlocked(System.Net.IPAddress.Loopback));

        // The path alone names the request's URL too: clients differ in which form they hash.
        await using RawRtspClient other = await RawRtspClient.ConnectAsync(host.RtspPort, fromAddress: "127.0.0.2");
        challenge = await other.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        string relative = Digest(challenge, "SHA-256", "camera", "cam-secret", "ANNOUNCE", "/home1/door");
        Assert.Equal(200, (await other.RequestAsync("ANNOUNCE", url, relative, TestMedia.H264Sdp)).Status);
    }

    [Fact]
    public async Task Readers_see_only_their_own_households_paths()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using RawRtspClient camera = await PublishAsync(host, "home1/cam");

        await using RawRtspClient alice = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply describe = await alice.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("alice", "alice-pw"));
        Assert.Equal(200, describe.Status);
        Assert.Equal(404, (await alice.RequestAsync("DESCRIBE", host.Url("home1/nobody"))).Status);

        await using RawRtspClient bob = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(403, (await bob.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("bob", "bob-pw"))).Status);
        Assert.Equal(403, (await bob.RequestAsync("SETUP", host.Url("home1/cam") + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")).Status);

        // A reader may not publish, not even over its own household's path.
        Assert.Equal(403, (await alice.RequestAsync("ANNOUNCE", host.Url("home1/other"), body: TestMedia.H264Sdp)).Status);
    }

    [Fact]
    public async Task A_session_set_up_by_one_user_is_unknown_to_another_on_the_same_connection()
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Users,
            "--Auth:Users:2:Permissions:1:Action=read", "--Auth:Users:2:Permissions:1:Path=~^home1/"]);
        await using RawRtspClient camera = await PublishAsync(host, "home1/cam");
        await using RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply describe = await client.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("alice", "alice-pw"));
        Assert.Equal(200, (await client.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")).Status);
        Assert.NotNull(client.Session);

        Assert.Equal(454, (await client.RequestAsync("PLAY", host.Url("home1/cam"), Basic("bob", "bob-pw"))).Status);
        Assert.Equal(200, (await client.RequestAsync("PLAY", host.Url("home1/cam"), Basic("alice", "alice-pw"))).Status);
    }

    [Fact]
    public async Task Failures_are_rate_limited_per_client_address()
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Users, "--Auth:MaxFailuresPerMinute=3"]);
        await using RawRtspClient camera = await PublishAsync(host, "home1/cam");
        await using RawRtspClient guesser = await RawRtspClient.ConnectAsync(host.RtspPort);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await guesser.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("alice", $"guess{i}"))).Status);
        }

        // Now even the right password is not looked at, and the connection is closed.
        RtspReply refused = await guesser.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("alice", "alice-pw"));
        Assert.Equal(503, refused.Status);
        Assert.NotNull(refused["Retry-After"]);
        Assert.True(await guesser.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));

        // Another client address is not affected.
        await using RawRtspClient neighbour = await RawRtspClient.ConnectAsync(host.RtspPort, fromAddress: "127.0.0.2");
        Assert.Equal(200, (await neighbour.RequestAsync("DESCRIBE", host.Url("home1/cam"), Basic("alice", "alice-pw"))).Status);
    }

    [Fact]
    public async Task A_blocked_address_keeps_the_connections_that_already_authenticated()
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Users, "--Auth:MaxFailuresPerMinute=3"]);
        string url = host.Url("home1/cam");

        // A camera publishes with Digest and a player reads, both from 127.0.0.1.
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply cameraChallenge = await camera.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        string CameraDigest(string method, string uri) => Digest(cameraChallenge, "MD5", "camera", "cam-secret", method, uri);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", url, CameraDigest("ANNOUNCE", url), TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", url + "/streamid=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n" + CameraDigest("SETUP", url + "/streamid=0"))).Status);
        Assert.Equal(200, (await camera.RequestAsync("RECORD", url, CameraDigest("RECORD", url))).Status);
        await TestMedia.SendKeyframeAsync(camera, 1, 1000, tag: 1);

        await using RawRtspClient reader = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply readerChallenge = await reader.RequestAsync("DESCRIBE", url);
        string ReaderDigest(string method, string uri) => Digest(readerChallenge, "SHA-256", "alice", "alice-pw", method, uri);
        RtspReply describe = await reader.RequestAsync("DESCRIBE", url, ReaderDigest("DESCRIBE", url));
        Assert.Equal(200, describe.Status);
        string track = describe["Content-Base"] + "trackID=0";
        Assert.Equal(200, (await reader.RequestAsync("SETUP", track, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n" + ReaderDigest("SETUP", track))).Status);
        Assert.Equal(200, (await reader.RequestAsync("PLAY", url, ReaderDigest("PLAY", url))).Status);

        // Someone else behind the same address guesses until the address is blocked.
        await using (RawRtspClient guesser = await RawRtspClient.ConnectAsync(host.RtspPort))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(401, (await guesser.RequestAsync("DESCRIBE", url, Basic("alice", $"guess{i}"))).Status);
            }

            Assert.Equal(503, (await guesser.RequestAsync("DESCRIBE", url, Basic("alice", "guess3"))).Status);
        }

        // The keep-alives of the camera and the player, with their credentials, go on being answered.
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(200, (await camera.RequestAsync("OPTIONS", url, CameraDigest("OPTIONS", url))).Status);
            Assert.Equal(200, (await camera.RequestAsync("GET_PARAMETER", url, CameraDigest("GET_PARAMETER", url))).Status);
            Assert.Equal(200, (await reader.RequestAsync("GET_PARAMETER", url, ReaderDigest("GET_PARAMETER", url))).Status);
            Assert.Equal(200, (await reader.RequestAsync("OPTIONS", url, ReaderDigest("OPTIONS", url))).Status);
        }

        // And media still flows from the camera to the player.
        await TestMedia.SendKeyframeAsync(camera, 4, 4000, tag: 2);
        Assert.True(await ReceivesTagAsync(reader, 2, TimeSpan.FromSeconds(10)), "the player stopped receiving media");

        // A new connection's credentials, right or wrong, are still refused and it is hung up on;
        // one without credentials is simply asked for them.
        await using RawRtspClient late = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(503, (await late.RequestAsync("DESCRIBE", url, Basic("alice", "alice-pw"))).Status);
        Assert.True(await late.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
        await using RawRtspClient wrong = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(503, (await wrong.RequestAsync("DESCRIBE", url, Basic("alice", "wrong"))).Status);
        await using RawRtspClient bare = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(401, (await bare.RequestAsync("DESCRIBE", url)).Status);
        Assert.Equal(200, (await bare.RequestAsync("OPTIONS", url)).Status);
    }

    [Fact]
    public async Task On_a_blocked_address_an_authenticated_connection_may_not_switch_users_and_its_failures_count()
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Users, "--Auth:MaxFailuresPerMinute=2"]);
        string url = host.Url("home1/cam");
        await using RawRtspClient camera = await PublishAsync(host, "home1/cam");
        await using RawRtspClient player = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await player.RequestAsync("DESCRIBE", url, Basic("alice", "alice-pw"))).Status);

        // Its own wrong password is a counted failure (401), the second one blocks the address.
        Assert.Equal(401, (await player.RequestAsync("DESCRIBE", url, Basic("alice", "typo"))).Status);
        Assert.Equal(401, (await player.RequestAsync("DESCRIBE", url, Basic("alice", "typo2"))).Status);
        Core.Access.AuthFailureLimiter limiter = host.Services.GetRequiredService<Core.Access.AuthFailureLimiter>();
        Assert.True(limiter.IsBlocked(System.Net.IPAddress.Loopback));

        Assert.Equal(200, (await player.RequestAsync("DESCRIBE", url, Basic("alice", "alice-pw"))).Status);
        Assert.Equal(200, (await player.RequestAsync("DESCRIBE", url)).Status);
        RtspReply other = await player.RequestAsync("DESCRIBE", url, Basic("bob", "bob-pw"));
        Assert.Equal(503, other.Status);
        Assert.True(await player.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<bool> ReceivesTagAsync(RawRtspClient reader, byte tag, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                (byte channel, byte[] payload) = await reader.ReadFrameAsync().WaitAsync(timeout.Token);
                if (channel == 0 && payload.Length > 12 && payload[^1] == tag)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Hashed_passwords_work_with_basic()
    {
        string hash = "sha256:" + Convert.ToBase64String(SHA256.HashData("hunter2"u8));
        await using MediaServerHost host = await TestServer.StartAsync(
            "--Auth:Users:0:Name=cam", $"--Auth:Users:0:Password={hash}", "--Auth:Users:0:Permissions:0:Action=publish");
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(401, (await camera.RequestAsync("ANNOUNCE", host.Url("x"), Basic("cam", hash), TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", host.Url("x"), Basic("cam", "hunter2"), TestMedia.H264Sdp)).Status);
    }
}
