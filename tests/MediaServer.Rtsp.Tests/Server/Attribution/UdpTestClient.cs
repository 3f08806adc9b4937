using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Attribution;

/// <summary>
/// An RTSP client that sets up RTP/AVP over UDP from its own pair of loopback sockets, or from
/// ports it merely declares (as a hostile client would): a camera that records, or a player.
/// </summary>
internal sealed class UdpTestClient : IAsyncDisposable
{
    private readonly UdpClient? _rtp;
    private readonly UdpClient? _rtcp;

    private UdpTestClient(RawRtspClient control, UdpClient? rtp, UdpClient? rtcp, int rtpPort, int rtcpPort)
    {
        Control = control;
        _rtp = rtp;
        _rtcp = rtcp;
        RtpPort = rtpPort;
        RtcpPort = rtcpPort;
    }

    public RawRtspClient Control { get; }

    public int RtpPort { get; }

    public int RtcpPort { get; }

    public string ClientPorts => $"client_port={RtpPort}-{RtcpPort}";

    /// <summary>A client with its own two bound sockets.</summary>
    public static async Task<UdpTestClient> OpenAsync(MediaServerHost host)
    {
        var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var rtcp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return new UdpTestClient(await RawRtspClient.ConnectAsync(host.RtspPort), rtp, rtcp,
            ((IPEndPoint)rtp.Client.LocalEndPoint!).Port, ((IPEndPoint)rtcp.Client.LocalEndPoint!).Port);
    }

    /// <summary>A client that only declares <paramref name="rtpPort"/>-<paramref name="rtcpPort"/> (someone else's).</summary>
    public static async Task<UdpTestClient> DeclaringAsync(MediaServerHost host, int rtpPort, int rtcpPort) =>
        new(await RawRtspClient.ConnectAsync(host.RtspPort), null, null, rtpPort, rtcpPort);

    /// <summary>ANNOUNCE <paramref name="sdp"/> and SETUP its first track over UDP; the SETUP status.</summary>
    public async Task<int> AnnounceAndSetupAsync(MediaServerHost host, string path, string auth, string sdp = TestMedia.H264Sdp)
    {
        Assert.Equal(200, (await Control.RequestAsync("ANNOUNCE", host.Url(path), NullIfEmpty(auth), sdp)).Status);
        return (await Control.RequestAsync("SETUP", host.Url(path) + "/streamid=0",
            $"Transport: RTP/AVP;unicast;{ClientPorts};mode=record\r\n{auth}")).Status;
    }

    /// <summary>ANNOUNCE, SETUP over UDP and RECORD: a camera publishing <paramref name="path"/>.</summary>
    public async Task PublishAsync(MediaServerHost host, string path, string auth)
    {
        Assert.Equal(200, await AnnounceAndSetupAsync(host, path, auth));
        Assert.Equal(200, (await Control.RequestAsync("RECORD", host.Url(path), NullIfEmpty(auth))).Status);
    }

    /// <summary>DESCRIBE and SETUP track 0 over UDP; the SETUP status.</summary>
    public async Task<int> SetupReaderAsync(MediaServerHost host, string path, string auth)
    {
        RtspReply describe = await Control.RequestAsync("DESCRIBE", host.Url(path), NullIfEmpty(auth));
        Assert.Equal(200, describe.Status);
        return (await Control.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0",
            $"Transport: RTP/AVP;unicast;{ClientPorts}\r\n{auth}")).Status;
    }

    /// <summary>Sends one RTP packet from this client's RTP socket to the server's RTP port.</summary>
    public Task SendRtpAsync(MediaServerHost host, byte[] packet)
    {
        var server = new IPEndPoint(IPAddress.Loopback, host.Services.GetRequiredServiceForTests<RtspUdpTransport>().RtpPort);
        return _rtp!.SendAsync(packet, server).AsTask();
    }

    /// <summary>The next RTP datagram that reaches this client's RTP port.</summary>
    public async Task<byte[]> ReceiveRtpAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await _rtp!.ReceiveAsync(timeout.Token)).Buffer;
    }

    /// <summary>An H.264 RTP packet with the given SSRC whose last payload byte is <paramref name="tag"/>.</summary>
    public static byte[] Rtp(uint ssrc, ushort seq, uint timestamp, byte nal, byte tag)
    {
        byte[] packet = TestMedia.Rtp(seq, timestamp, nal, tag);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        return packet;
    }

    private static string? NullIfEmpty(string auth) => auth.Length == 0 ? null : auth;

    public async ValueTask DisposeAsync()
    {
        await Control.DisposeAsync();
        _rtp?.Dispose();
        _rtcp?.Dispose();
    }
}
