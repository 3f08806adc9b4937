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

    public RtspLimits Limits { get; set; } = new();
}
