using MediaServer.Core.Streams;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;

namespace MediaServer.Lifecycle;

/// <summary>
/// On SIGTERM (or Ctrl+C) ends every session politely before Kestrel stops: WebRTC sessions get a
/// DTLS close_notify (the browser sees the peer close, not a timeout), RTSP connections are closed
/// after their current step, publications end so their readers complete. Kestrel then waits for
/// the connections to finish, up to <see cref="ShutdownOptions.GracePeriodSeconds"/>.
/// </summary>
internal sealed class GracefulShutdown(
    ServerState state,
    RtspServerContext rtsp,
    StreamRegistry streams,
    IServiceProvider services,
    ShutdownOptions options,
    ILogger<GracefulShutdown> logger)
{
    public void Drain()
    {
        state.MarkDraining();
        WebRtcServer? webRtc = services.GetService<WebRtcServer>();
        WebRtcSession[] sessions = webRtc is null ? [] : [.. webRtc.Sessions.All];
        RtspConnection[] connections = [.. rtsp.AllConnections];
        logger.LogInformation(
            "Shutting down: draining {Rtsp} RTSP connections, {WebRtc} WebRTC sessions and {Streams} streams (grace {Grace} s)",
            connections.Length, sessions.Length, streams.Count, options.GracePeriodSeconds);

        Task[] closing = Array.ConvertAll(sessions, s => s.CloseAsync("the server is shutting down"));
        foreach (MediaStream stream in streams.Streams)
        {
            streams.Unpublish(stream);
        }

        foreach (RtspConnection connection in connections)
        {
            connection.RequestClose("the server is shutting down");
        }

        if (!Task.WaitAll(closing, TimeSpan.FromSeconds(options.GracePeriodSeconds)))
        {
            logger.LogWarning("Some WebRTC sessions did not close within the grace period");
        }

        logger.LogInformation("Drained; the listeners stop now");
    }
}
