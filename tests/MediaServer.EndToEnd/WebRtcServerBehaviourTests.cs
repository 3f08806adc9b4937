using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MediaServer.EndToEnd.Api;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.Stun;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Stun;

namespace MediaServer.EndToEnd;

/// <summary>
/// What the server sends a WebRTC viewer, checked packet by packet with the in-repo WHEP client
/// (which does ICE, DTLS and SRTP for real): NACK answers, PLI answers, sender reports, and how
/// the shared UDP port treats strangers.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WebRtcServerBehaviourTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task<WhepClient> ConnectAsync(MediaServerHost host, string path, HttpClient http) =>
        await WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep"), Deadline);

    private static uint Ssrc(ReadOnlySpan<byte> rtp) => BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);

    private static ushort Sequence(ReadOnlySpan<byte> rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);

    [Fact]
    public async Task Lost_packets_are_resent_when_the_viewer_nacks_them()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using var http = new HttpClient();
        var received = new ConcurrentDictionary<ushort, uint>();
        var lost = new ConcurrentDictionary<ushort, bool>();
        int nacked = 0;
        await using WhepClient client = await ConnectAsync(host, "cam1", http);
        client.DropRtp = seq => seq % 10 == 3 && lost.Count < 5 && lost.TryAdd(seq, true);
        client.OnRtp = rtp =>
        {
            received[Sequence(rtp.Span)] = Ssrc(rtp.Span);

            // NACK as soon as the fifth loss is seen, from the receive loop itself, as a browser does:
            // the resent packets must still be inside the client's 64-packet SRTP replay window.
            if (lost.Count == 5 && (rtp.Span[1] & 0x7F) == 96 && Interlocked.Exchange(ref nacked, 1) == 0)
            {
                client.SendNack(Ssrc(rtp.Span), [.. lost.Keys.Order()]);
            }
        };
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref nacked) == 1, Deadline), "setup: no loss simulated");
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.True(
            await Eventually.TrueAsync(() => lost.Keys.All(received.ContainsKey), Deadline),
            $"the lost packets never came back (NACKed {session.NacksReceived}, resent {session.PacketsRetransmitted}, replays refused {client.Replayed})");
        Assert.Equal(5, session.NacksReceived);
        Assert.Equal(5, session.PacketsRetransmitted);
        Assert.Equal(0, client.AuthenticationFailures);
    }

    [Fact]
    public async Task Picture_loss_restarts_the_viewer_at_the_cached_keyframe_not_the_next_one()
    {
        // GOP of 100 frames (4 s). After a PLI the viewer must get an IDR long before frame 100k.
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.H264Gop4sAsync());
        using var http = new HttpClient();
        await using WhepClient client = await ConnectAsync(host, "cam1", http);
        int idrs = 0;
        uint videoSsrc = 0;
        client.OnRtp = rtp =>
        {
            ReadOnlySpan<byte> payload = rtp.Span[12..];
            if ((rtp.Span[1] & 0x7F) == 96)
            {
                videoSsrc = Ssrc(rtp.Span);
                if (IsIdrStart(payload))
                {
                    Interlocked.Increment(ref idrs);
                }
            }
        };
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref idrs) == 1 && client.RtpPackets > 100, Deadline), "setup: no start");
        int frame = await camera.WaitUntilSentAsync(camera.FramesSent + 10, Deadline);
        int nextKeyframe = ((frame / Clips.H264Gop4sGop) + 1) * Clips.H264Gop4sGop;
        Assert.True(nextKeyframe - frame > 25, $"setup: too close to the next keyframe (frame {frame})");

        client.SendPictureLoss(videoSsrc);

        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref idrs) >= 2, Deadline), "no keyframe after the PLI");
        int sentAtIdr = camera.FramesSent;
        Assert.True(sentAtIdr < nextKeyframe, $"the keyframe came with the camera's next one ({sentAtIdr} >= {nextKeyframe})");
        Assert.Equal(1, Assert.Single(host.WebRtcSessions().All).KeyframeRequests);
        Assert.Equal(0, client.AuthenticationFailures);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Repeated_picture_loss_waits_for_the_next_keyframe_instead_of_resending_the_gop()
    {
        // A browser that cannot decode (Chromium on B-frames) keeps sending PLIs. The first gets
        // the cached GOP at once; the rest, within the same 4 s GOP, must not get it again.
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "plicam", await Clips.H264Gop4sAsync());
        using var http = new HttpClient();
        await using WhepClient client = await ConnectAsync(host, "plicam", http);
        int idrs = 0;
        uint videoSsrc = 0;
        client.OnRtp = rtp =>
        {
            if ((rtp.Span[1] & 0x7F) == 96)
            {
                videoSsrc = Ssrc(rtp.Span);
                if (IsIdrStart(rtp.Span[12..]))
                {
                    Interlocked.Increment(ref idrs);
                }
            }
        };
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref idrs) >= 1 && client.RtpPackets > 50, Deadline), "setup: no start");

        // Start early in a GOP, so the requests and the wait below end well before its next keyframe.
        int gop = Clips.H264Gop4sGop;
        int frame = camera.FramesSent;
        int start = frame % gop <= 10 ? frame + 2 : ((frame / gop) + 1) * gop + 5;
        frame = await camera.WaitUntilSentAsync(start, Deadline);
        int nextKeyframe = ((frame / gop) + 1) * gop;
        int idrsBefore = Volatile.Read(ref idrs);

        client.SendPictureLoss(videoSsrc);
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref idrs) > idrsBefore, Deadline), "the first PLI got no keyframe");
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        Assert.Equal(1, session.KeyframeRequests);

        for (int i = 0; i < 4; i++)
        {
            client.SendPictureLoss(videoSsrc);
        }

        Assert.True(await Eventually.TrueAsync(() => session.KeyframeRequestsDeferred == 4, Deadline),
            $"repeated PLIs were not deferred (replayed {session.KeyframeRequests}, deferred {session.KeyframeRequestsDeferred})");
        MetricsScrape metrics = await MetricsScrape.GetAsync(http, host.HttpPort);
        Assert.Equal(1, metrics.Value("mediaserver_webrtc_keyframe_requests_total", ("path", "plicam"), ("reason", "replayed")));
        Assert.Equal(4, metrics.Value("mediaserver_webrtc_keyframe_requests_total", ("path", "plicam"), ("reason", "replay_in_flight"))
            + metrics.Value("mediaserver_webrtc_keyframe_requests_total", ("path", "plicam"), ("reason", "keyframe_already_sent")));
        using var api = new ApiClient(host);
        JsonElement counts = Assert.Single(await api.SessionsAsync("plicam", "webrtc")).GetProperty("keyframeRequests");
        Assert.Equal(1, counts.GetProperty("replayed").GetInt64());
        Assert.Equal(4, counts.GetProperty("deferred").GetInt64());

        // Give a resend time to show (the old answer came after a one-second pause), within the GOP.
        int waited = await camera.WaitUntilSentAsync(camera.FramesSent + 40, Deadline);
        Assert.True(waited < nextKeyframe - 5, $"setup: reached the camera's next keyframe ({waited} >= {nextKeyframe})");
        Assert.Equal(idrsBefore + 1, Volatile.Read(ref idrs));
        Assert.Equal(1, session.KeyframeRequests);

        // The camera's next keyframe reaches the viewer as usual, and a PLI after it replays again.
        Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref idrs) == idrsBefore + 2, Deadline), "no live keyframe");
        client.SendPictureLoss(videoSsrc);
        Assert.True(await Eventually.TrueAsync(() => session.KeyframeRequests == 2 && Volatile.Read(ref idrs) == idrsBefore + 3, Deadline),
            $"a PLI after a new keyframe was not answered (replayed {session.KeyframeRequests}, deferred {session.KeyframeRequestsDeferred})");
        Assert.Equal(0, client.AuthenticationFailures);
        Assert.Equal(0, host.IsolationViolations);
    }

    [Fact]
    public async Task Viewers_get_sender_reports()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        using var http = new HttpClient();
        await using WhepClient client = await ConnectAsync(host, "cam1", http);

        Assert.True(await Eventually.TrueAsync(() => client.SenderReports >= 2, Deadline), "no RTCP sender reports");
        Assert.Equal(0, client.AuthenticationFailures);
    }

    [Fact]
    public async Task The_shared_port_answers_only_checks_signed_for_a_session_and_ignores_garbage()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        using var http = new HttpClient();
        await using WhepClient client = await ConnectAsync(host, "cam1", http);
        WebRtcSession session = Assert.Single(host.WebRtcSessions().All);
        string serverUfrag = session.Credentials.LocalUfrag;
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stranger.ReceiveTimeout = 5000;
        var server = new IPEndPoint(IPAddress.Loopback, host.WebRtcPort);
        var buffer = new byte[512];

        // A check for a ufrag no session owns, and one for the real ufrag with a guessed password: 401.
        foreach ((string username, string password) in new[] { ("nosuchufrag:x", "whatever-password-here"), (serverUfrag + ":x", "guessed-password-guessed") })
        {
            int length = StunRequestWriter.WriteBindingRequest(buffer, new byte[12], Encoding.UTF8.GetBytes(username),
                Encoding.UTF8.GetBytes(password), 1, 1, controlling: true, useCandidate: true);
            stranger.SendTo(buffer.AsSpan(0, length), server);
            int received = stranger.Receive(buffer);
            Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, received), out StunMessage response));
            Assert.Equal(401, response.ErrorCode);
        }

        // Garbage, fake DTLS and fake SRTP from the stranger reach no session.
        long before = client.RtpPackets;
        for (int i = 0; i < 50; i++)
        {
            stranger.SendTo([(byte)(i * 37), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], server);
        }

        Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().All.Single().PacketsSent > 0 && client.RtpPackets > before + 20, Deadline));
        Assert.Equal(2, host.WebRtcTransport().RejectedChecks);
        Assert.True(host.WebRtcTransport().DroppedDatagrams >= 40);
        Assert.Equal(WebRtcSessionState.Connected, session.State);
        Assert.Equal(0, client.AuthenticationFailures);
    }

    /// <summary>An IDR slice starts in this payload: single NAL 5, FU-A start of 5, or a STAP-A holding one.</summary>
    private static bool IsIdrStart(ReadOnlySpan<byte> payload)
    {
        int type = payload[0] & 0x1F;
        return type switch
        {
            5 => true,
            28 => payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5,
            _ => false,
        };
    }
}
