using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Server;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Stun;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Mallory, a tenant with rights only under <c>mallory/</c>, who spends the chaos run claiming
/// every network identity the other tenants hold (DESIGN.md invariant 7): the UDP ports of live
/// cameras and players as her own client ports, the server's own UDP ports, foreign SSRCs sent
/// from a camera's bound address, guessed ICE ufrags, other sessions' RTSP ids (on her connection
/// and through the API), and other tokens' WHEP resources. Every attempt is recorded; a single
/// success is a failed run.
/// </summary>
internal sealed class HostileTenant(MediaServerHost host, RtspUdpProxy cameraProxy, RtspUdpProxy viewerProxy)
{
    private const string Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=mallory\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:streamid=0\r\n";

    /// <summary>Every kind of claim she tries; each must have been tried at least once in a run.</summary>
    public static readonly string[] Kinds =
    [
        "camera_ports_as_publisher", "live_ports_as_reader", "server_ports", "foreign_ssrc_from_bound_address",
        "guessed_ufrag", "rtsp_session_id", "api_session_id", "whep_resource", "foreign_path_publish",
    ];

    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentQueue<string> _successes = new();
    private readonly ConcurrentQueue<(MediaStream Stream, uint Ssrc, string What)> _ssrcTargets = new();
    private int _grabs;
    private long _injected;

    /// <summary>Claims tried, by kind.</summary>
    public IReadOnlyDictionary<string, int> Attempts => _attempts;

    /// <summary>Claims that worked: must stay empty.</summary>
    public IReadOnlyCollection<string> Successes => _successes;

    /// <summary>RTP packets with a foreign SSRC sent from cameras' bound addresses.</summary>
    public long ForeignSsrcPacketsInjected => Interlocked.Read(ref _injected);

    public int TotalAttempts => _attempts.Values.Sum();

    public async Task RunAsync(CancellationToken stop)
    {
        await using ChaosRtspClient feed = await ChaosRtspClient.ConnectAsync(host.RtspPort);
        string auth = ChaosTenants.MalloryAuthorization;
        await feed.RequestAsync("ANNOUNCE", feed.Url("mallory/feed"), auth, Sdp);
        await feed.RequestAsync("SETUP", feed.Url("mallory/feed/streamid=0"), $"Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n{auth}");
        (int recorded, _) = await feed.RequestAsync("RECORD", feed.Url("mallory/feed"), auth + "\r\nSession: " + FeedSession(feed));
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Func<Task>[] attacks =
        [
            TakeCameraPortsAsync,
            () => TakeReaderPortsAsync(recorded == 200),
            () => TakeServerPortsAsync(recorded == 200),
            InjectForeignSsrcs,
            () => GuessUfragsAsync(udp),
            UseOtherSessionIdsAsync,
            TakeWhepResourcesAsync,
            PublishOnAnotherTenantsPathAsync,
        ];
        for (int round = 0; !stop.IsCancellationRequested; round++)
        {
            await attacks[round % attacks.Length]();
            try
            {
                await Task.Delay(150, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// After the run: a stream that took an injected packet would have it counted in, and the
    /// track's lock is what its own camera sent first, so each injection is judged by its target's
    /// lock (still the camera's) and the caller checks the ssrc_mismatch drops cover every packet.
    /// </summary>
    public void JudgeInjections()
    {
        while (_ssrcTargets.TryDequeue(out (MediaStream Stream, uint Ssrc, string What) target))
        {
            Record("foreign_ssrc_from_bound_address", target.Stream.Tracks[0].PublisherSsrc != target.Ssrc, target.What);
        }
    }

    public override string ToString() =>
        $"{TotalAttempts} claims tried ({string.Join(", ", _attempts.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}"))}), " +
        $"{ForeignSsrcPacketsInjected} foreign-SSRC packets injected, {_successes.Count} succeeded";

    private static string FeedSession(ChaosRtspClient feed) => feed.LastSession ?? "";

    private void Record(string kind, bool succeeded, string what)
    {
        _attempts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (succeeded)
        {
            _successes.Enqueue($"{kind}: {what}");
        }
    }

    /// <summary>ANNOUNCE her own path and SETUP it with the client ports a live UDP camera sends from.</summary>
    private async Task TakeCameraPortsAsync()
    {
        foreach ((FaultyUdpRelay rtp, FaultyUdpRelay rtcp) in cameraProxy.Pairs.Where(p => p.Rtp.Path?.StartsWith("home", StringComparison.Ordinal) == true))
        {
            await using ChaosRtspClient client = await ChaosRtspClient.ConnectAsync(host.RtspPort);
            string path = $"mallory/grab{Interlocked.Increment(ref _grabs)}";
            string auth = ChaosTenants.MalloryAuthorization;
            await client.RequestAsync("ANNOUNCE", client.Url(path), auth, Sdp);
            (int status, _) = await client.RequestAsync("SETUP", client.Url(path + "/streamid=0"),
                $"Transport: RTP/AVP;unicast;client_port={rtp.ServerSidePort}-{rtcp.ServerSidePort};mode=record\r\n{auth}");
            // The list is a snapshot: a camera killed meanwhile let its ports go, and taking free
            // ports is no takeover. Still held after the answer, they were held all along.
            Record("camera_ports_as_publisher", status == 200 && cameraProxy.Holds(rtp), $"{rtp.Path} ports {rtp.ServerSidePort}-{rtcp.ServerSidePort} -> {status}");
            if (status == 200)
            {
                await client.RequestAsync("RECORD", client.Url(path), auth);
            }
        }
    }

    /// <summary>Play her own path with the client ports of live UDP players and cameras.</summary>
    private async Task TakeReaderPortsAsync(bool feedPublished)
    {
        if (!feedPublished)
        {
            return;
        }

        IEnumerable<(FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)> targets = viewerProxy.Pairs.Concat(cameraProxy.Pairs)
            .Where(p => p.Rtp.Path?.StartsWith("home", StringComparison.Ordinal) == true);
        foreach ((FaultyUdpRelay rtp, FaultyUdpRelay rtcp) in targets)
        {
            int status = await SetupReaderAsync(rtp.ServerSidePort, rtcp.ServerSidePort);
            bool held = viewerProxy.Holds(rtp) || cameraProxy.Holds(rtp);
            Record("live_ports_as_reader", status == 200 && held, $"{rtp.Path} ports {rtp.ServerSidePort}-{rtcp.ServerSidePort} -> {status}");
        }
    }

    /// <summary>Declare the server's own RTP/RTCP and WebRTC ports as her client ports.</summary>
    private async Task TakeServerPortsAsync(bool feedPublished)
    {
        if (!feedPublished)
        {
            return;
        }

        RtspUdpTransport udp = host.Services.GetRequiredService<RtspUdpTransport>();
        foreach ((int rtp, int rtcp) in new[] { (udp.RtpPort, udp.RtcpPort), (host.WebRtcPort, host.WebRtcPort + 1) })
        {
            int status = await SetupReaderAsync(rtp, rtcp);
            Record("server_ports", status == 200, $"ports {rtp}-{rtcp} -> {status}");
        }
    }

    private async Task<int> SetupReaderAsync(int rtpPort, int rtcpPort)
    {
        await using ChaosRtspClient client = await ChaosRtspClient.ConnectAsync(host.RtspPort);
        string auth = ChaosTenants.MalloryAuthorization;
        (int status, _) = await client.RequestAsync("SETUP", client.Url("mallory/feed/trackID=0"),
            $"Transport: RTP/AVP;unicast;client_port={rtpPort}-{rtcpPort}\r\n{auth}");
        if (status == 200)
        {
            await client.RequestAsync("PLAY", client.Url("mallory/feed"), auth + "\r\nSession: " + client.LastSession);
        }

        return status;
    }

    /// <summary>
    /// From each UDP camera's bound address (its relay, as a program behind the camera's NAT could),
    /// another camera's recent RTP packets under a foreign SSRC: were they taken, that camera's
    /// viewers would decode another household's picture.
    /// </summary>
    private Task InjectForeignSsrcs()
    {
        StreamRegistry streams = host.Services.GetRequiredService<StreamRegistry>();
        List<(FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)> cameras = [.. cameraProxy.Pairs.Where(p => p.Rtp.Path?.StartsWith("home", StringComparison.Ordinal) == true)];
        foreach ((FaultyUdpRelay target, _) in cameras)
        {
            FaultyUdpRelay? source = cameras.Select(p => p.Rtp).FirstOrDefault(r => r.Path != target.Path && r.CapturedUpstream.Length > 0);
            string targetPath = target.Path!;
            string streamPath = targetPath[..targetPath.LastIndexOf('/')];
            if (source is null || !StreamId.TryCreate(streamPath, out StreamId id) || !streams.TryGet(id, out MediaStream stream) ||
                stream.Tracks[0].PublisherSsrc is not uint locked)
            {
                continue;
            }

            uint foreign = locked ^ 0x5A5A5A5A;
            int sent = 0;
            foreach (byte[] captured in source.CapturedUpstream)
            {
                BinaryPrimitives.WriteUInt32BigEndian(captured.AsSpan(8), foreign);
                sent += target.InjectToServer(captured) ? 1 : 0;
            }

            Interlocked.Add(ref _injected, sent);
            _ssrcTargets.Enqueue((stream, locked, $"{sent} packets of {source.Path} into {target.Path}"));
        }

        return Task.CompletedTask;
    }

    /// <summary>Connectivity checks with made-up ufrags, and with live sessions' ufrags but a guessed password.</summary>
    private async Task GuessUfragsAsync(Socket udp)
    {
        var server = new IPEndPoint(IPAddress.Loopback, host.WebRtcPort);
        List<string> ufrags = [.. Enumerable.Range(0, 3).Select(_ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))];
        ufrags.AddRange(host.Services.GetRequiredService<WebRtcServer>().Sessions.All.Select(s => s.Credentials.LocalUfrag).Take(3));
        byte[] buffer = new byte[512];
        foreach (string ufrag in ufrags)
        {
            int length = StunRequestWriter.WriteBindingRequest(buffer, RandomNumberGenerator.GetBytes(12), Encoding.ASCII.GetBytes(ufrag + ":mallory"),
                Encoding.ASCII.GetBytes("a-guessed-password-of-22+"), 1, 1, controlling: true, useCandidate: true);
            udp.SendTo(buffer.AsSpan(0, length), server);
            bool answered = await Task.Run(() =>
            {
                try
                {
                    int received = udp.Receive(buffer);
                    return StunMessage.TryParse(buffer.AsSpan(0, received), out StunMessage response) == StunParseError.None &&
                        response.MessageType == StunMessage.BindingSuccess;
                }
                catch (SocketException)
                {
                    return false;
                }
            });
            Record("guessed_ufrag", answered, $"ufrag {ufrag}");
        }
    }

    /// <summary>Other sessions' RTSP ids on her own connection, and through the API.</summary>
    private async Task UseOtherSessionIdsAsync()
    {
        RtspServerContext rtsp = host.Services.GetRequiredService<RtspServerContext>();
        List<RtspSessionInfo> sessions = [.. rtsp.SnapshotSessions().Where(s => s.Owner.Name != ChaosTenants.Mallory).Take(4)];
        await using ChaosRtspClient client = await ChaosRtspClient.ConnectAsync(host.RtspPort);
        string auth = ChaosTenants.MalloryAuthorization;
        using var api = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ChaosTenants.Mallory}:{ChaosTenants.MalloryPassword}")));
        foreach (RtspSessionInfo session in sessions)
        {
            string path = session.Stream?.Id.Path ?? "home1/cam";
            foreach (string method in new[] { "GET_PARAMETER", "PLAY", "TEARDOWN" })
            {
                (int status, _) = await client.RequestAsync(method, client.Url(path), $"{auth}\r\nSession: {session.Id}");
                Record("rtsp_session_id", status == 200, $"{method} with session {session.Id} of {session.Owner.Name} -> {status}");
            }

            using HttpResponseMessage kick = await api.DeleteAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/v1/sessions/{session.Id}"));
            Record("api_session_id", kick.IsSuccessStatusCode, $"DELETE /v1/sessions/{session.Id} -> {(int)kick.StatusCode}");
        }
    }

    /// <summary>Another token's WHEP resources: DELETE and PATCH with her own token, under their path and hers.</summary>
    private async Task TakeWhepResourcesAsync()
    {
        using var request = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        request.DefaultRequestHeaders.Authorization = ChaosTenants.MalloryToken;
        foreach (WebRtcSession session in host.Services.GetRequiredService<WebRtcServer>().Sessions.All.Take(4))
        {
            foreach (string path in new[] { session.StreamId.Path, "mallory/feed" })
            {
                var resource = new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep/{session.Id}");
                using var patch = new HttpRequestMessage(HttpMethod.Patch, resource)
                {
                    Content = new StringContent("a=ice-ufrag:mall\r\na=ice-pwd:mallorymallorymallory1234\r\n", Encoding.ASCII, "application/trickle-ice-sdpfrag"),
                };
                using HttpResponseMessage patched = await request.SendAsync(patch);
                Record("whep_resource", patched.IsSuccessStatusCode, $"PATCH {resource.AbsolutePath} -> {(int)patched.StatusCode}");
                using HttpResponseMessage deleted = await request.DeleteAsync(resource);
                Record("whep_resource", deleted.IsSuccessStatusCode, $"DELETE {resource.AbsolutePath} -> {(int)deleted.StatusCode}");
            }
        }
    }

    /// <summary>Publish onto a household's camera path.</summary>
    private async Task PublishOnAnotherTenantsPathAsync()
    {
        await using ChaosRtspClient client = await ChaosRtspClient.ConnectAsync(host.RtspPort);
        (int status, _) = await client.RequestAsync("ANNOUNCE", client.Url("home1/cam"), ChaosTenants.MalloryAuthorization, Sdp);
        Record("foreign_path_publish", status == 200, $"ANNOUNCE home1/cam -> {status}");
    }
}
