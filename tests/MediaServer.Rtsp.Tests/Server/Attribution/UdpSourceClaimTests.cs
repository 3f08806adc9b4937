using System.Net;
using System.Text;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Attribution;

/// <summary>
/// DESIGN.md invariant 7 on RTSP's UDP transport: a client source address:port belongs to the one
/// session track that declared it in SETUP, until that session ends. Outside probing found that a
/// tenant could declare the ports a UDP camera of another tenant sends from and have the server
/// rebind them: the camera's picture flowed into the tenant's own path.
/// </summary>
public class UdpSourceClaimTests
{
    private static readonly string[] Users =
    [
        "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=cam-pw",
        "--Auth:Users:0:Permissions:0:Action=publish", "--Auth:Users:0:Permissions:0:Path=~^cam",
        "--Auth:Users:1:Name=alice", "--Auth:Users:1:Password=alice-pw",
        "--Auth:Users:1:Permissions:0:Action=read", "--Auth:Users:1:Permissions:0:Path=~^cam",
        "--Auth:Users:2:Name=bob", "--Auth:Users:2:Password=bob-pw",
        "--Auth:Users:2:Permissions:0:Action=publish", "--Auth:Users:2:Permissions:0:Path=~^bob/",
        "--Auth:Users:2:Permissions:1:Action=read", "--Auth:Users:2:Permissions:1:Path=~^bob/",
    ];

    private static readonly string Camera = Basic("camera", "cam-pw");
    private static readonly string Alice = Basic("alice", "alice-pw");
    private static readonly string Bob = Basic("bob", "bob-pw");

    private static double Conflicts => MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.RtspUdpSource).Value;

    [Fact]
    public async Task A_tenant_declaring_a_udp_cameras_ports_is_refused_and_the_camera_keeps_its_stream()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        await camera.PublishAsync(host, "cam1", Camera);
        MediaStream cam1 = Stream(host, "cam1");
        await SendKeyframeAsync(camera, host, 0xC0FFEE, seq: 1, tag: 1);
        Assert.True(await Poll.UntilAsync(() => cam1.PacketsIn == 3), "the camera's first packets did not arrive");

        double conflictsBefore = Conflicts;
        await using UdpTestClient bob = await UdpTestClient.DeclaringAsync(host, camera.RtpPort, camera.RtcpPort);
        Assert.Equal(461, await bob.AnnounceAndSetupAsync(host, "bob/x", Bob));
        Assert.Equal(454, (await bob.Control.RequestAsync("RECORD", host.Url("bob/x"), Bob)).Status);
        Assert.True(Conflicts > conflictsBefore, "the refused claim was not counted");

        // The camera's packets still go to cam1 (and a reader of cam1 gets them), none to bob/x.
        await using RawRtspClient reader = await ReadTcpAsync(host, "cam1", Alice);
        await SendKeyframeAsync(camera, host, 0xC0FFEE, seq: 4, tag: 2);
        Assert.True(await Poll.UntilAsync(() => cam1.PacketsIn == 6), $"cam1 starved: {cam1.PacketsIn} packets");
        Assert.Equal(0, Stream(host, "bob/x").PacketsIn);
        (byte channel, byte[] payload) = await reader.ReadFrameAsync();
        Assert.Equal(0, channel);
        Assert.Equal(0x67, payload[12]);
    }

    [Fact]
    public async Task A_reader_declaring_the_ports_of_a_live_camera_or_another_reader_is_refused()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        await camera.PublishAsync(host, "cam1", Camera);
        await SendKeyframeAsync(camera, host, 0xC0FFEE, seq: 1, tag: 1);
        await using RawRtspClient bobCamera = await TestMedia.PublishAsync(host, "bob/x", Bob);

        await using UdpTestClient alice = await UdpTestClient.OpenAsync(host);
        Assert.Equal(200, await alice.SetupReaderAsync(host, "cam1", Alice));
        Assert.Equal(200, (await alice.Control.RequestAsync("PLAY", host.Url("cam1"), Alice)).Status);

        await using UdpTestClient onCamera = await UdpTestClient.DeclaringAsync(host, camera.RtpPort, camera.RtcpPort);
        Assert.Equal(461, await onCamera.SetupReaderAsync(host, "bob/x", Bob));
        await using UdpTestClient onReader = await UdpTestClient.DeclaringAsync(host, alice.RtpPort, alice.RtcpPort);
        Assert.Equal(461, await onReader.SetupReaderAsync(host, "bob/x", Bob));

        Assert.Equal(454, (await onReader.Control.RequestAsync("PLAY", host.Url("bob/x"), Bob)).Status);

        // Alice still gets cam1, and only cam1: had her ports been rebound, bob/x would reach her.
        await TestMedia.SendKeyframeAsync(bobCamera, 1, 1000, tag: 66);
        await SendKeyframeAsync(camera, host, 0xC0FFEE, seq: 4, tag: 9);
        var tags = new List<byte>();
        while (tags.Count == 0 || tags[^1] != 9)
        {
            tags.Add((await alice.ReceiveRtpAsync())[^1]);
        }

        Assert.DoesNotContain((byte)66, tags);
    }

    [Fact]
    public async Task Teardown_gives_the_ports_back()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        await camera.PublishAsync(host, "cam1", Camera);
        Assert.Equal(200, (await camera.Control.RequestAsync("TEARDOWN", host.Url("cam1"), Camera)).Status);

        await using UdpTestClient next = await UdpTestClient.DeclaringAsync(host, camera.RtpPort, camera.RtcpPort);
        Assert.Equal(200, await next.AnnounceAndSetupAsync(host, "bob/x", Bob));
    }

    [Fact]
    public async Task A_client_on_this_host_may_not_declare_the_servers_own_udp_ports()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        RtspUdpTransport udp = host.Services.GetRequiredServiceForTests<RtspUdpTransport>();
        (int Rtp, int Rtcp)[] own = [(udp.RtpPort, udp.RtcpPort), (udp.RtcpPort, udp.RtpPort), (host.WebRtcPort, host.WebRtcPort + 1)];
        for (int i = 0; i < own.Length; i++)
        {
            // A path per attempt: the previous attempt's announce is withdrawn only once the server
            // has seen its connection close, which may be after the next ANNOUNCE arrives.
            await using UdpTestClient hostile = await UdpTestClient.DeclaringAsync(host, own[i].Rtp, own[i].Rtcp);
            Assert.Equal(461, await hostile.AnnounceAndSetupAsync(host, $"bob/x{i}", Bob));
        }
    }

    [Fact]
    public async Task Two_tracks_of_one_session_cannot_share_client_ports()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        Assert.Equal(200, await camera.AnnounceAndSetupAsync(host, "cam1", Camera, TestMedia.VideoAndAudioSdp));
        RtspReply second = await camera.Control.RequestAsync("SETUP", host.Url("cam1") + "/streamid=1",
            $"Transport: RTP/AVP;unicast;{camera.ClientPorts};mode=record\r\n{Camera}");
        Assert.Equal(461, second.Status);
    }

    [Fact]
    public async Task Datagrams_from_an_address_nobody_claimed_are_dropped_and_exported()
    {
        await using MediaServerHost host = await TestServer.StartAsync(Users);
        await using UdpTestClient camera = await UdpTestClient.OpenAsync(host);
        await camera.PublishAsync(host, "cam1", Camera);
        await using UdpTestClient stranger = await UdpTestClient.OpenAsync(host);
        var unknown = MetricsRegistry.UnknownSourceDatagrams.WithLabels("rtsp_rtp");
        double before = unknown.Value;
        await stranger.SendRtpAsync(host, UdpTestClient.Rtp(0xBAD, 1, 1, 0x65, 13));
        Assert.True(await Poll.UntilAsync(() => unknown.Value > before), "the stranger's datagram was not counted");
        Assert.Equal(0, Stream(host, "cam1").PacketsIn);
    }

    internal static string Basic(string user, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    internal static MediaStream Stream(MediaServerHost host, string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        Assert.True(host.Services.GetRequiredServiceForTests<StreamRegistry>().TryGet(id, out MediaStream stream), $"{path} is not published");
        return stream;
    }

    internal static async Task SendKeyframeAsync(UdpTestClient camera, MediaServerHost host, uint ssrc, ushort seq, byte tag)
    {
        uint timestamp = seq * 3000u;
        await camera.SendRtpAsync(host, UdpTestClient.Rtp(ssrc, seq, timestamp, 0x67, tag));
        await camera.SendRtpAsync(host, UdpTestClient.Rtp(ssrc, (ushort)(seq + 1), timestamp, 0x68, tag));
        await camera.SendRtpAsync(host, UdpTestClient.Rtp(ssrc, (ushort)(seq + 2), timestamp, 0x65, tag));
    }

    internal static async Task<RawRtspClient> ReadTcpAsync(MediaServerHost host, string path, string auth)
    {
        RawRtspClient client = await RawRtspClient.ConnectAsync(host.RtspPort);
        RtspReply describe = await client.RequestAsync("DESCRIBE", host.Url(path), auth.Length == 0 ? null : auth);
        Assert.Equal(200, describe.Status);
        Assert.Equal(200, (await client.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0",
            $"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n{auth}")).Status);
        Assert.Equal(200, (await client.RequestAsync("PLAY", host.Url(path), auth.Length == 0 ? null : auth)).Status);
        return client;
    }
}
