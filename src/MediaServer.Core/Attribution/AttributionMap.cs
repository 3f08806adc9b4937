namespace MediaServer.Core.Attribution;

/// <summary>
/// The names of the maps from a network identity to a session or stream (DESIGN.md invariant 7),
/// as they appear in the <c>map</c> label of <c>mediaserver_attribution_conflicts_total</c> and in
/// log lines. Every such map in the server is listed here and in the README's attribution table.
/// </summary>
public static class AttributionMap
{
    /// <summary>A client's UDP source address:port to the RTSP session track that declared it in SETUP.</summary>
    public const string RtspUdpSource = "rtsp_udp_source";

    /// <summary>An interleaved channel number of one RTSP connection to the session track that set it up.</summary>
    public const string RtspInterleavedChannel = "rtsp_interleaved_channel";

    /// <summary>The SSRC of a publisher's track, locked on its first RTP packet.</summary>
    public const string PublisherSsrc = "publisher_ssrc";

    /// <summary>RTSP session ids to their session, across every connection.</summary>
    public const string RtspSessionId = "rtsp_session_id";

    /// <summary>A stream path to its one publisher.</summary>
    public const string StreamPublisher = "stream_publisher";

    /// <summary>WHEP resource ids to their WebRTC session.</summary>
    public const string WhepResource = "whep_resource";

    /// <summary>The server's ICE ufrag to its WebRTC session.</summary>
    public const string IceUfrag = "ice_ufrag";

    /// <summary>A browser's UDP source address:port, bound by a valid ICE check, to its WebRTC session (and its DTLS association).</summary>
    public const string WebRtcUdpSource = "webrtc_udp_source";

    /// <summary>A pulled source's full URL (user, password, host, port, path, query) to the one connection that pulls it.</summary>
    public const string PulledSource = "pulled_source";
}
