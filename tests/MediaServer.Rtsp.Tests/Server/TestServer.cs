namespace MediaServer.Rtsp.Tests.Server;

/// <summary>The real server on loopback with ports chosen at run time, plus extra configuration.</summary>
internal static class TestServer
{
    public static Task<MediaServerHost> StartAsync(params string[] extra) => MediaServerHost.StartAsync(
    [
        "--Rtsp:Address=127.0.0.1", "--Rtsp:Port=0", "--Rtsp:RtpPort=0",
        "--Http:Address=127.0.0.1", "--Http:Port=0", "--WebRtc:UdpAddress=127.0.0.1", "--WebRtc:UdpPort=0",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ]);

    public static string Url(this MediaServerHost host, string path) => Url(host.RtspPort, path);

    public static string Url(int rtspPort, string path) => $"rtsp://127.0.0.1:{rtspPort}/{path}";
}
