using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>
/// RTSP Digest against stored HA1s (no plain password on the server), the challenges offered for
/// what the users can answer, and <c>Auth:RtspBasic</c>.
/// </summary>
public class RtspAuthHa1Tests
{
    private const string Realm = "MediaServer";

#pragma warning disable CA5351 // Digest MD5 is what the cameras under test speak.
    private static string Hash(string algorithm, string text) => algorithm.StartsWith("MD5", StringComparison.Ordinal)
        ? Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)))
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static string Form(string algorithm, string user, string password) =>
        $"{(algorithm == "MD5" ? "digest-md5" : "digest-sha256")}:{Realm}:{Hash(algorithm, $"{user}:{Realm}:{password}")}";

    private static string[] Camera(string password, params string[] passwords) =>
    [
        "--Auth:Users:0:Name=cam", $"--Auth:Users:0:Password={password}", "--Auth:Users:0:Permissions:0:Action=publish",
        .. passwords.Select((p, i) => $"--Auth:Users:0:Passwords:{i}={p}"),
    ];

    private static string Nonce(RtspReply challenge)
    {
        string header = challenge.Values("WWW-Authenticate").First(v => v.StartsWith("Digest", StringComparison.Ordinal));
        int start = header.IndexOf("nonce=\"", StringComparison.Ordinal) + 7;
        return header[start..header.IndexOf('"', start)];
    }

    /// <summary>A client's Digest answer (RFC 7616 §3.4.1), with qop=auth and a cnonce, so -sess works too.</summary>
    private static string Digest(string algorithm, string nonce, string password, string method, string uri)
    {
        const string cnonce = "0a4f113b", nc = "00000001";
        string ha1 = Hash(algorithm, $"cam:{Realm}:{password}");
        if (algorithm.EndsWith("-sess", StringComparison.Ordinal))
        {
            ha1 = Hash(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        string response = Hash(algorithm, $"{ha1}:{nonce}:{nc}:{cnonce}:auth:{Hash(algorithm, $"{method}:{uri}")}");
        return $"Authorization: Digest username=\"cam\", realm=\"{Realm}\", nonce=\"{nonce}\", uri=\"{uri}\", algorithm={algorithm}, " +
            $"qop=auth, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\"";
    }

    private static string Basic(string password) => "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"cam:{password}"));

    [Fact]
    public async Task A_sha256_ha1_alone_is_challenged_with_sha256_and_answers_it_but_not_md5()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Camera(Form("SHA-256", "cam", "pw")));
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        string url = host.Url("door");
        RtspReply challenge = await camera.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        Assert.Equal(401, challenge.Status);
        string[] offered = [.. challenge.Values("WWW-Authenticate")];
        Assert.Equal(2, offered.Length);
        Assert.EndsWith("algorithm=SHA-256", offered[0], StringComparison.Ordinal);
        Assert.Equal($"Basic realm=\"{Realm}\"", offered[1]);

        string nonce = Nonce(challenge);
        Assert.Equal(401, (await camera.RequestAsync("ANNOUNCE", url, Digest("MD5", nonce, "pw", "ANNOUNCE", url), TestMedia.H264Sdp)).Status);
        Assert.Equal(401, (await camera.RequestAsync("ANNOUNCE", url, Digest("SHA-256", nonce, "wrong", "ANNOUNCE", url), TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", url, Digest("SHA-256", nonce, "pw", "ANNOUNCE", url), TestMedia.H264Sdp)).Status);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("MD5-sess")]
    [InlineData("SHA-256-sess")]
    public async Task Pbkdf2_for_basic_and_both_ha1s_for_digest_let_one_user_log_in_every_way(string algorithm)
    {
        string pbkdf2 = Core.Access.PasswordVerifier.Hash("pw", iterations: 1000);
        await using MediaServerHost host = await TestServer.StartAsync(Camera(pbkdf2, Form("SHA-256", "cam", "pw"), Form("MD5", "cam", "pw")));
        string url = host.Url("door");

        await using RawRtspClient digest = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply challenge = await digest.RequestAsync("ANNOUNCE", url, body: TestMedia.H264Sdp);
        Assert.Equal(3, challenge.Values("WWW-Authenticate").Count());
        Assert.Equal(200, (await digest.RequestAsync("ANNOUNCE", url, Digest(algorithm, Nonce(challenge), "pw", "ANNOUNCE", url), TestMedia.H264Sdp)).Status);

        await using RawRtspClient basic = await RawRtspClient.ConnectAsync(host.RtspPort, fromAddress: "127.0.0.2");
        Assert.Equal(401, (await basic.RequestAsync("ANNOUNCE", host.Url("other"), Basic("wrong"), TestMedia.H264Sdp)).Status);
        Assert.Equal(200, (await basic.RequestAsync("ANNOUNCE", host.Url("other"), Basic("pw"), TestMedia.H264Sdp)).Status);
    }

    [Theory]
    [InlineData("Never")]
    [InlineData("Tls")]
    public async Task Where_rtsp_basic_is_not_allowed_it_is_neither_offered_nor_accepted(string policy)
    {
        await using MediaServerHost host = await TestServer.StartAsync([.. Camera("pw"), $"--Auth:RtspBasic={policy}"]);
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        string url = host.Url("door");
        RtspReply challenge = await camera.RequestAsync("ANNOUNCE", url, Basic("pw"), TestMedia.H264Sdp);
        Assert.Equal(401, challenge.Status);
        Assert.DoesNotContain(challenge.Values("WWW-Authenticate"), v => v.StartsWith("Basic", StringComparison.Ordinal));
        Assert.Equal(2, challenge.Values("WWW-Authenticate").Count());
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", url, Digest("SHA-256", Nonce(challenge), "pw", "ANNOUNCE", url), TestMedia.H264Sdp)).Status);
    }
}
