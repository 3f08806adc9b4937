using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Api;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.WebRtc;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Whip;

/// <summary>
/// A WHIP publisher (the in-repo client, over the real ICE, DTLS and SRTP path) as operators see
/// it: the API's path and session, kicking it, and the metrics of what it sent and was sent.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class WhipSessionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static byte[] Rtp(ushort sequenceNumber)
    {
        var rtp = new byte[12 + 4];
        rtp[0] = 0x80;
        rtp[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), 90000);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0x5151);
        rtp[12] = 0x65;
        return rtp;
    }

    /// <summary>Connects and waits until the server has its SRTP keys too (SRTP before them cannot be authenticated).</summary>
    private static async Task<WhipClient> ConnectAsync(MediaServerHost host, HttpClient http, string path = "cam1")
    {
        WhipClient client = await WhipClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whip"), Deadline);
        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().All.Single().State == MediaServer.WebRtc.WebRtcSessionState.Connected, Deadline),
            "the server never finished its handshake");
        return client;
    }

    [Fact]
    public async Task The_api_shows_the_whip_publisher_and_kicking_it_unpublishes_the_path()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient();
        await using WhipClient client = await ConnectAsync(host, http);
        for (ushort i = 1; i <= 10; i++)
        {
            client.SendRtp(Rtp(i));
        }

        using var api = new ApiClient(host);
        JsonElement session = default;
        Assert.True(await Eventually.TrueAsync(() =>
        {
            session = api.GetJsonAsync("v1/sessions?protocol=webrtc").GetAwaiter().GetResult()[0];
            return session.GetProperty("packetsReceived").GetInt64() == 10;
        }, Deadline), $"the session never showed its packets: {session}");
        Assert.Equal("publish", session.GetProperty("mode").GetString());
        Assert.Equal("cam1", session.GetProperty("path").GetString());
        JsonElement path = await api.GetJsonAsync("v1/paths/cam1");
        Assert.Equal("webrtc", path.GetProperty("publisher").GetProperty("protocol").GetString());
        Assert.Equal(session.GetProperty("id").GetString(), path.GetProperty("publisher").GetProperty("sessionId").GetString());

        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, $"v1/sessions/{session.GetProperty("id").GetString()}"));

        Assert.True(await Eventually.TrueAsync(() => host.Services.GetRequiredService<StreamRegistry>().Count == 0, Deadline), "the path is still published");
        Assert.Equal(0, host.WebRtcSessions().Count);
    }

    [Fact]
    public async Task Nacks_sent_and_rejected_srtp_are_counted_in_the_metrics()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient();
        MetricsScrape before = await MetricsScrape.GetAsync(http, host.HttpPort);
        // Metrics are process-wide and tests run in parallel: a path of its own keeps its series to itself.
        string path = "whip-metrics-" + Guid.NewGuid().ToString("N")[..8];
        await using WhipClient client = await ConnectAsync(host, http, path);
        client.SendRtp(Rtp(1));
        client.SendRtp(Rtp(3));
        byte[] forged = client.Protect(Rtp(4));
        forged[^1] ^= 0x01;
        client.SendDatagram(forged);
        Assert.True(await Eventually.TrueAsync(() => client.Nacked.Contains((ushort)2), Deadline), "no NACK for the lost packet");

        MetricsScrape after = null!;
        Assert.True(await Eventually.TrueAsync(() =>
        {
            after = MetricsScrape.GetAsync(http, host.HttpPort).GetAwaiter().GetResult();
            return after.Value("mediaserver_dropped_packets_total", ("reason", "srtp_rejected")) >
                before.Value("mediaserver_dropped_packets_total", ("reason", "srtp_rejected"));
        }, Deadline), "the forged packet was not counted");
        Assert.True(after.Value("mediaserver_publisher_feedback_sent_total", ("type", "nack")) >
            before.Value("mediaserver_publisher_feedback_sent_total", ("type", "nack")));
        Assert.True(after.Value("mediaserver_publisher_feedback_sent_total", ("type", "pli")) >
            before.Value("mediaserver_publisher_feedback_sent_total", ("type", "pli")));

        // The path's publisher is counted under the protocol it publishes with.
        Assert.Equal(1, after.Value("mediaserver_publishers", ("path", path), ("protocol", "webrtc")));
        Assert.Equal(0, after.Value("mediaserver_publishers", ("path", path), ("protocol", "rtsp")));
    }
}
