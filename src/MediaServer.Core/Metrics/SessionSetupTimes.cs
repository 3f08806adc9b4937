using System.Diagnostics;
using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>Cached children of <c>mediaserver_session_setup_seconds</c>, one per kind of set-up.</summary>
public static class SessionSetupTimes
{
    /// <summary>RTSP reader: the connection's first request (usually OPTIONS or DESCRIBE) to PLAY.</summary>
    public static readonly Histogram.Child RtspPlay = MetricsRegistry.SessionSetup.WithLabels("rtsp_play");

    /// <summary>RTSP publisher: the connection's first request (usually OPTIONS or ANNOUNCE) to RECORD.</summary>
    public static readonly Histogram.Child RtspRecord = MetricsRegistry.SessionSetup.WithLabels("rtsp_record");

    /// <summary>WebRTC viewer: the WHEP POST to the DTLS handshake's end.</summary>
    public static readonly Histogram.Child Whep = MetricsRegistry.SessionSetup.WithLabels("whep");

    /// <summary>Observes the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void ObserveSince(Histogram.Child kind, long startTimestamp) =>
        kind.Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
}
