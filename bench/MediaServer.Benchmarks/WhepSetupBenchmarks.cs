using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Testing.WebRtc;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Benchmarks;

/// <summary>
/// WHEP session set-up end to end against the real server on loopback: POST the offer, get the
/// answer, ICE connectivity check, DTLS 1.2 handshake with certificate checks, SRTP keys; then
/// DELETE. This is the server-side part of "time to first frame" (the browser adds its own).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class WhepSetupBenchmarks : IDisposable
{
    private MediaServerHost _host = null!;
    private HttpClient _http = null!;
    private Uri _whep = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = MediaServerHost.StartAsync(
        [
            "--Rtsp:Address=127.0.0.1", "--Rtsp:Port=0", "--Rtsp:RtpPort=0", "--Http:Address=127.0.0.1", "--Http:Port=0",
            "--WebRtc:UdpAddress=127.0.0.1", "--WebRtc:UdpPort=0", "--Logging:LogLevel:Default=Warning",
        ]).GetAwaiter().GetResult();
        const string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n" +
            "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\na=control:trackID=0\r\n";
        if (!SessionDescription.TryParse(sdp, out SessionDescription? description, out _) || !StreamId.TryCreate("cam1", out StreamId id) ||
            _host.Services.GetRequiredService<StreamAuthorizer>().Authorize(id, StreamAction.Publish, out StreamGrant grant) != AccessDecision.Allowed)
        {
            throw new InvalidOperationException("Could not publish the benchmark stream.");
        }

        _host.Services.GetRequiredService<StreamRegistry>().TryPublish(grant, description!, out _);
        _http = new HttpClient();
        _whep = new Uri($"http://127.0.0.1:{_host.HttpPort}/cam1/whep");
    }

    public void Dispose()
    {
        _http?.Dispose();
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<long> ConnectAndClose()
    {
        WhepClient client = await WhepClient.ConnectAsync(_http, _whep, TimeSpan.FromSeconds(10));
        long failures = client.AuthenticationFailures;
        await client.DisposeAsync();
        return failures;
    }
}
