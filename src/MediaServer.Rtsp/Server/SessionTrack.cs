using System.Net;
using System.Net.Sockets;

namespace MediaServer.Rtsp.Server;

/// <summary>One track of a session as negotiated by SETUP, with the per-reader RTP rewrite state.</summary>
internal sealed class SessionTrack
{
    public SessionTrack(int trackIndex) => TrackIndex = trackIndex;

    public int TrackIndex { get; }

    /// <summary>Interleaved channels (TCP) or -1.</summary>
    public int RtpChannel { get; set; } = -1;

    public int RtcpChannel { get; set; } = -1;

    /// <summary>The client's RTP and RTCP addresses this track claimed (UDP), or null.</summary>
    public UdpTrackSink? RtpSink { get; set; }

    public UdpTrackSink? RtcpSink { get; set; }

    public SocketAddress? ClientRtpAddress => RtpSink?.Source;

    public SocketAddress? ClientRtcpAddress => RtcpSink?.Source;

    /// <summary>The SSRC this reader sees for the track (ours, not the publisher's).</summary>
    public uint Ssrc { get; set; }

    public ushort NextSequenceNumber { get; set; }

    public uint LastTimestamp { get; set; }

    public long LastArrival { get; set; }

    public uint PacketsSent { get; set; }

    public uint OctetsSent { get; set; }
}
