using System.Text.RegularExpressions;
using MediaServer.Core.Access;
using MediaServer.Rtsp.Protocol;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Client;

/// <summary>
/// What a well-behaved camera answers (OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN),
/// with the knobs the tests turn: its SDP and base headers, authentication, the session timeout,
/// the transports it accepts.
/// </summary>
internal sealed partial class CameraScript
{
    public const string H264Sdp =
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=Camera\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:trackID=1\r\n";

    public string Sdp { get; init; } = H264Sdp;

    /// <summary>Extra DESCRIBE headers (Content-Base, Content-Location).</summary>
    public string[] DescribeHeaders { get; init; } = [];

    public string Public { get; init; } = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";

    public int SessionTimeout { get; init; } = 60;

    /// <summary>"Basic", "Digest" (MD5), "Digest-SHA-256"; null: open camera.</summary>
    public string? Auth { get; init; }

    public bool DigestQop { get; init; } = true;

    public string User { get; init; } = "admin";

    public string Password { get; init; } = "pa:ss w0rd";

    /// <summary>Answer every UDP SETUP with 461.</summary>
    public bool RefuseUdp { get; init; }

    /// <summary>The camera's own RTP/RTCP ports named in a UDP SETUP answer.</summary>
    public (int Rtp, int Rtcp) ServerPorts { get; set; } = (40000, 40001);

    private const string Realm = "IP Camera";
    private const string Nonce = "a1b2c3d4e5f6";

    public string? Answer(CameraRequest request, CameraConnection connection)
    {
        if (Auth is not null && !IsAuthorized(request))
        {
            string challenge = Auth == "Basic" ? $"WWW-Authenticate: Basic realm=\"{Realm}\""
                : $"WWW-Authenticate: Digest realm=\"{Realm}\", nonce=\"{Nonce}\", opaque=\"op1\"" +
                  (Auth == "Digest-SHA-256" ? ", algorithm=SHA-256" : ", algorithm=MD5") + (DigestQop ? ", qop=\"auth\"" : string.Empty);
            return ScriptedCamera.Answer(request, 401, "Unauthorized", [challenge]);
        }

        switch (request.Method)
        {
            case "OPTIONS":
                return ScriptedCamera.Answer(request, 200, "OK", [$"Public: {Public}"]);
            case "DESCRIBE":
                return ScriptedCamera.Answer(request, 200, "OK", ["Content-Type: application/sdp", .. DescribeHeaders], Sdp);
            case "SETUP":
                string transport = request["Transport"] ?? string.Empty;
                if (transport.Contains("client_port", StringComparison.Ordinal))
                {
                    if (RefuseUdp)
                    {
                        return ScriptedCamera.Answer(request, 461, "Unsupported Transport");
                    }

                    transport += $";server_port={ServerPorts.Rtp}-{ServerPorts.Rtcp};ssrc=11223344";
                }

                return ScriptedCamera.Answer(request, 200, "OK", [$"Transport: {transport}", $"Session: 12345678;timeout={SessionTimeout}"]);
            case "PLAY":
            case "GET_PARAMETER":
            case "TEARDOWN":
                return ScriptedCamera.Answer(request, 200, "OK", ["Session: 12345678"]);
            default:
                return ScriptedCamera.Answer(request, 405, "Method Not Allowed");
        }
    }

    private bool IsAuthorized(CameraRequest request)
    {
        string? authorization = request["Authorization"];
        if (authorization is null)
        {
            return false;
        }

        if (Auth == "Basic")
        {
            return authorization == "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
        }

        if (!authorization.StartsWith("Digest ", StringComparison.Ordinal))
        {
            return false;
        }

        // Checked with the server's own Digest verification, independent of the client's code.
        Dictionary<string, string> fields = DigestFields.Parse(authorization["Digest ".Length..]);
        DigestAlgorithm algorithm = Auth == "Digest-SHA-256" ? DigestAlgorithm.Sha256 : DigestAlgorithm.Md5;
        string ha1 = DigestHash.Ha1(algorithm, User, Realm, Password);
        fields.TryGetValue("qop", out string? qop);
        fields.TryGetValue("nc", out string? nc);
        fields.TryGetValue("cnonce", out string? cnonce);
        if ((qop is not null) != DigestQop || fields.GetValueOrDefault("uri") != request.Uri || fields.GetValueOrDefault("opaque") != "op1")
        {
            return false;
        }

        string? expected = DigestFields.ExpectedResponse(algorithm, false, ha1, request.Method, request.Uri, Nonce, qop, nc, cnonce);
        return expected is not null && expected == fields.GetValueOrDefault("response");
    }

    /// <summary>The client_port pair of a UDP SETUP.</summary>
    public static (int Rtp, int Rtcp) ClientPorts(CameraRequest setup)
    {
        Match match = ClientPort().Match(setup["Transport"] ?? string.Empty);
        Assert.True(match.Success, $"no client_port in {setup["Transport"]}");
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    [GeneratedRegex(@"client_port=(\d+)-(\d+)")]
    private static partial Regex ClientPort();
}
