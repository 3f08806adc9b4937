using System.Diagnostics;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Server;
using MediaServer.WebRtc;

namespace MediaServer.Lifecycle;

/// <summary>
/// On SIGTERM (or Ctrl+C) ends every session politely before Kestrel stops. It runs on
/// ApplicationStopping, before Kestrel is told to stop, so the listeners are still up for the
/// whole drain and /readyz answers 503 "draining" on them until the drain is over:
/// <list type="number">
/// <item>the server stops being ready; new RTSP connections are closed as they arrive and WHEP offers get 503;</item>
/// <item>WebRTC sessions get a DTLS close_notify (the browser sees the peer close, not a timeout);</item>
/// <item>publications end, so their readers complete; every RTSP connection is asked to close
/// after its current step;</item>
/// <item>it waits until every WebRTC session and RTSP connection has ended, up to
/// <see cref="ShutdownOptions.GracePeriodSeconds"/>; a connection still open then (a client
/// that stopped reading its responses) is dropped;</item>
/// <item>only then Kestrel stops: the listeners close, and the process exits.</item>
/// </list>
/// </summary>
internal sealed class GracefulShutdown(
    ServerState state,
    RtspServerContext rtsp,
    StreamRegistry streams,
    IServiceProvider services,
    ShutdownOptions options,
    ILogger<GracefulShutdown> logger)
{
    private const string Reason = "the server is shutting down";

    public void Drain()
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan grace = TimeSpan.FromSeconds(options.GracePeriodSeconds);
        state.MarkDraining();
        rtsp.StopAccepting();
        WebRtcServer? webRtc = services.GetService<WebRtcServer>();
        webRtc?.StopAccepting();
        WebRtcSession[] sessions = webRtc is null ? [] : [.. webRtc.Sessions.All];
        RtspConnection[] connections = [.. rtsp.AllConnections];
        logger.LogInformation(
            "Shutting down: draining {Rtsp} RTSP connections, {WebRtc} WebRTC sessions and {Streams} streams (grace {Grace} s)",
            connections.Length, sessions.Length, streams.Count, options.GracePeriodSeconds);

        // Pulled cameras are told TEARDOWN and their streams unpublished, as a pushing camera's are below.
        Task sourcesClosing = services.GetRequiredService<SourceDirectory>().DisposeAsync().AsTask();
        Task closing = Task.WhenAll([.. Array.ConvertAll(sessions, s => s.CloseAsync(Reason)), sourcesClosing]);
        foreach (MediaStream stream in streams.Streams)
        {
            streams.Unpublish(stream);
        }

        // Asked again on every pass: a connection accepted just before StopAccepting is in none
        // of the snapshots above. Shutdown runs once, so a short poll is simpler than a signal.
        while (!(closing.IsCompleted && rtsp.HasNoConnections))
        {
            foreach (RtspConnection connection in rtsp.AllConnections)
            {
                connection.RequestClose(Reason);
            }

            if (Stopwatch.GetElapsedTime(started) > grace)
            {
                int left = rtsp.AllConnections.Count();
                logger.LogWarning(
                    "The grace period ended with {Connections} RTSP connections and WebRTC sessions {WebRtc}; dropping them",
                    left, closing.IsCompleted ? "closed" : "still closing");
                foreach (RtspConnection connection in rtsp.AllConnections)
                {
                    connection.Abort(Reason);
                }

                // An aborted connection ends its sessions at once; let it, so it is gone before the listeners are.
                SpinWait.SpinUntil(() => rtsp.HasNoConnections, TimeSpan.FromSeconds(1));
                break;
            }

            Thread.Sleep(20);
        }

        logger.LogInformation("Drained in {Elapsed} ms; the listeners stop now", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
