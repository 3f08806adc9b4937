using MediaServer.Rtsp.Server;

namespace MediaServer.Lifecycle;

/// <summary>
/// The lines that say the server is up: every TCP listener with its own scheme and setting
/// (<c>rtsp://</c>, <c>rtsps://</c>, <c>http://</c>, <c>https://</c>), the RTP/RTCP pair, then that
/// it started. They replace the host's "Now listening on: http://…", which names RTSP as HTTP.
/// The WebRTC socket is logged by WebRtcServer with its candidates.
/// </summary>
internal static class StartupLog
{
    public static void Write(ILogger logger, IReadOnlyList<Listener> listeners, RtspUdpTransport? rtspUdp)
    {
        foreach (Listener listener in listeners)
        {
            logger.LogInformation("Listening on {Listener}", listener);
        }

        if (rtspUdp is not null)
        {
            logger.LogInformation(
                "Listening on UDP {Address}:{RtpPort} for RTP and {RtcpPort} for RTCP (Rtsp:RtpPort)", rtspUdp.LocalAddress, rtspUdp.RtpPort, rtspUdp.RtcpPort);
        }

        // The host's own wording: scripts and tests wait for it.
        logger.LogInformation("Application started. Press Ctrl+C to shut down.");
    }
}
