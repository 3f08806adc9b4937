namespace MediaServer.WebRtc;

/// <summary>The <c>WebRtc</c> configuration section.</summary>
public sealed class WebRtcOptions
{
    /// <summary>Whether WHEP and the ICE-lite UDP socket are started at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the ICE UDP socket binds to.</summary>
    public string UdpAddress { get; set; } = "0.0.0.0";

    /// <summary>The one UDP port every WebRTC session shares (0 = chosen by the OS).</summary>
    public int UdpPort { get; set; } = 8189;

    /// <summary>
    /// Extra host candidates (public IPs or DNS names) offered besides the local addresses,
    /// for servers behind NAT. Each is offered with <see cref="UdpPort"/>.
    /// </summary>
    public List<string> AdditionalHosts { get; set; } = [];

    /// <summary>Seconds without any packet from a peer before its session is closed (consent freshness).</summary>
    public int ConsentTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds a session may take from the WHEP answer to a completed DTLS handshake.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>Largest RTP packet sent to a browser, headers included (before SRTP's tag).</summary>
    public int MaxPacketSize { get; set; } = 1200;

    /// <summary>Packets kept per session for NACK retransmission.</summary>
    public int RetransmissionHistoryPackets { get; set; } = 512;

    /// <summary>
    /// Pace of a joining viewer's replay of the cached GOP (and of the backlog behind it), in bytes
    /// per second: sent at once, megabytes overflow the browser's socket and the lost keyframe costs
    /// a second replay. Must exceed the stream's bit rate for the viewer to catch up.
    /// </summary>
    public long JoinReplayBytesPerSecond { get; set; } = 2_000_000;

    /// <summary>Bytes of the replay sent back to back before <see cref="JoinReplayBytesPerSecond"/> applies.</summary>
    public int JoinReplayBurstBytes { get; set; } = 64 * 1024;

    /// <summary>WebRTC sessions the server holds at once; a WHEP offer beyond it gets 503.</summary>
    public int MaxSessions { get; set; } = 1024;

    /// <summary>WebRTC sessions one client address holds at once, so one client cannot take them all.</summary>
    public int MaxSessionsPerAddress { get; set; } = 128;

    /// <summary>
    /// WebRTC sessions one authenticated principal (user or token subject) holds at once. With
    /// authentication off every client is the same anonymous principal, so only the per-address
    /// bound applies.
    /// </summary>
    public int MaxSessionsPerPrincipal { get; set; } = 128;

    /// <summary>Optional PKCS#12 certificate for DTLS; empty = ECDSA P-256 generated at start.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>Password of <see cref="CertificatePath"/>.</summary>
    public string CertificatePassword { get; set; } = "";
}
