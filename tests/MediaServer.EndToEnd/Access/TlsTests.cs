using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;

namespace MediaServer.EndToEnd.Access;

/// <summary>RTSPS and HTTPS through Kestrel's TLS, with ffmpeg, the WHEP client and a raw TLS socket.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TlsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Ffmpeg_publishes_and_plays_over_rtsps()
    {
        await using MediaServerHost host = await TestHost.StartAsync(_certificate.Arguments);
        Assert.NotEqual(0, host.RtspTlsPort);
        string url = $"rtsps://127.0.0.1:{host.RtspTlsPort}/cam1";
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, url, "cam1", await Clips.H264Gop4sAsync());

        await using FfmpegProcess player = await UrlCamera.PlayAsync(url);
        Assert.True(player.ExitCode == 0, player.Stderr);
        Assert.Equal(30, Player.FramesPerStream(player.Stdout()).GetValueOrDefault(0));

        // The plain listener still serves the same stream.
        await using FfmpegProcess plain = await UrlCamera.PlayAsync($"rtsp://127.0.0.1:{host.RtspPort}/cam1", frames: 10);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Rtsps_refuses_udp_transport_with_461()
    {
        await using MediaServerHost host = await TestHost.StartAsync(_certificate.Arguments);
        await using FfmpegProcess camera = await UrlCamera.StartAsync(host, $"rtsps://127.0.0.1:{host.RtspTlsPort}/cam1", "cam1", await Clips.H264Gop4sAsync());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.RtspTlsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == _certificate.Thumbprint);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        string url = $"rtsps://127.0.0.1:{host.RtspTlsPort}/cam1";
        string describe = await RequestAsync(tls, $"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 200", describe, StringComparison.Ordinal);
        string setup = await RequestAsync(tls, $"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 461", setup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whep_the_api_and_metrics_work_over_https()
    {
        await using MediaServerHost host = await TestHost.StartAsync(_certificate.Arguments);
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using HttpClient https = _certificate.Client(host);
        Assert.Contains("cam1", await https.GetStringAsync("v1/paths"), StringComparison.Ordinal);
        Assert.Contains("mediaserver_isolation_violations_total", await https.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("cam1/")).StatusCode);

        await using WhepClient client = await WhepClient.ConnectAsync(https, new Uri(https.BaseAddress!, "cam1/whep"), Deadline);
        Assert.True(await Eventually.TrueAsync(() => client.RtpPackets > 50, Deadline), "no media for the HTTPS WHEP session");
    }

    [Fact]
    public async Task A_client_that_never_finishes_the_tls_handshake_is_dropped()
    {
        await using MediaServerHost host = await TestHost.StartAsync([.. _certificate.Arguments, "--Tls:HandshakeTimeoutSeconds=1"]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.HttpTlsPort);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01 }); // the first bytes of a ClientHello, and then nothing
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int read;
        try
        {
            read = await stream.ReadAsync(new byte[16], timeout.Token);
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
    }

    private static async Task<string> RequestAsync(SslStream tls, string request)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await tls.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                break;
            }

            response.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        string text = response.ToString();
        int length = text.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase);
        if (length >= 0)
        {
            int bodyLength = int.Parse(text[(length + 16)..text.IndexOf('\r', length)], System.Globalization.CultureInfo.InvariantCulture);
            int have = text.Length - (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
            while (have < bodyLength)
            {
                int n = await tls.ReadAsync(buffer, timeout.Token);
                if (n == 0)
                {
                    break;
                }

                have += n;
            }
        }

        return text;
    }
}
