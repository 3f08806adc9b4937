using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp;

/// <summary>Configuration section <c>Rtsp</c>.</summary>
public sealed class RtspOptions
{
    /// <summary>Address the RTSP (TCP) listener and the RTP/RTCP (UDP) sockets bind to.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>RTSP TCP port; 0 picks a free one, -1 turns plain RTSP off (RTSPS only).</summary>
    public int Port { get; set; } = 8554;

    /// <summary>RTSPS (RTSP over TLS) port, used when <c>Tls:CertificatePath</c> is set; 0 picks a free one.</summary>
    public int TlsPort { get; set; } = 8322;

    /// <summary>UDP port for RTP (even); RTCP uses the next one. 0 picks a free pair.</summary>
    public int RtpPort { get; set; } = 8000;

    /// <summary>Whether clients may use RTP/AVP over UDP at all.</summary>
    public bool EnableUdp { get; set; } = true;

    /// <summary>Seconds without a request, RTP or RTCP after which a session is closed.</summary>
    public int SessionTimeoutSeconds { get; set; } = 60;

    /// <summary>Sessions one TCP connection may hold.</summary>
    public int MaxSessionsPerConnection { get; set; } = 4;

    /// <summary>Seconds between the RTCP sender reports sent to each reader.</summary>
    public double SenderReportIntervalSeconds { get; set; } = 2;

    /// <summary>Seconds between the RTCP receiver reports sent to each publisher.</summary>
    public double ReceiverReportIntervalSeconds { get; set; } = 5;

    /// <summary>How a reader joining mid-GOP starts: <c>catchup</c>, <c>keyframe</c> or <c>gop</c> (see <see cref="Core.Streams.JoinMode"/>); a path rule's <c>JoinMode</c> overrides it.</summary>
    public JoinMode JoinMode { get; set; } = JoinMode.Catchup;

    /// <summary>
    /// Bytes per second the cached GOP is replayed at to a UDP reader. A player's socket holds only
    /// its receive buffer (Linux default 208 KiB; ffmpeg asks for 64 KiB, rtspsrc for 512 KiB, both
    /// doubled by the kernel and counted with per-datagram overhead) while its one thread decodes;
    /// a GOP sent at once overflows it. Must exceed the stream's bitrate for the reader to catch up.
    /// </summary>
    public long JoinReplayBytesPerSecond { get; set; } = 2_000_000;

    /// <summary>Bytes of the replay that may leave back to back before pacing waits.</summary>
    public int JoinReplayBurstBytes { get; set; } = 32 * 1024;

    public RtspLimits Limits { get; set; } = new();
}
