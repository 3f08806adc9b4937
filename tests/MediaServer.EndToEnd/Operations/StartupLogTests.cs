using System.Text.RegularExpressions;
using MediaServer.EndToEnd.Access;

namespace MediaServer.EndToEnd.Operations;

/// <summary>The start-up log names each listener with the scheme it speaks and the setting that chose its port.</summary>
[Trait("Category", "EndToEnd")]
public class StartupLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_listener_is_logged_with_its_own_scheme_and_setting()
    {
        using var certificate = new TestCertificate();
        await using ServerProcess server = ServerProcess.Start([.. certificate.Arguments, "--Metrics:Address=127.0.0.1", "--Metrics:Port=0"]);
        Assert.True(await server.WaitForOutputAsync("Application started", Deadline), server.Output);
        string output = server.Output;

        Assert.Contains($"Listening on rtsp://127.0.0.1:{server.RtspPort} (Rtsp:Port)", output, StringComparison.Ordinal);
        Assert.Contains($"Listening on http://127.0.0.1:{server.HttpPort} (Http:Port)", output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"Listening on rtsps://127\.0\.0\.1:\d+ \(Rtsp:TlsPort\)"), output);
        Assert.Matches(new Regex(@"Listening on https://127\.0\.0\.1:\d+ \(Http:TlsPort\)"), output);
        Assert.Matches(new Regex(@"Listening on http://127\.0\.0\.1:\d+ \(Metrics:Port\)"), output);
        Assert.Matches(new Regex(@"Listening on UDP 127\.0\.0\.1:\d+ for RTP and \d+ for RTCP \(Rtsp:RtpPort\)"), output);
        Assert.DoesNotContain($"http://127.0.0.1:{server.RtspPort}", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"https?://127\.0\.0\.1:\d+ \(Rtsp:"), output);
    }
}
