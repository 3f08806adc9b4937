namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>The real server, in-process, on loopback ports chosen at run time.</summary>
internal static class TestHost
{
    public static Task<MediaServerHost> StartAsync(params string[] extra) => MediaServerHost.StartAsync(
    [
        "--Rtsp:Address=127.0.0.1", "--Rtsp:Port=0", "--Rtsp:RtpPort=0",
        "--Http:Address=127.0.0.1", "--Http:Port=0", "--WebRtc:UdpAddress=127.0.0.1", "--WebRtc:UdpPort=0",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ]);
}
