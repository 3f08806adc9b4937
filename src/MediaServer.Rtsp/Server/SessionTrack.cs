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

    /// <summary>Client RTP and RTCP addresses (UDP) or null.</summary>
    public IPEndPoint? ClientRtp { get; set; }

    public IPEndPoint? ClientRtcp { get; set; }

    public SocketAddress? ClientRtpAddress { get; set; }

    public SocketAddress? ClientRtcpAddress { get; set; }

    /// <summary>The UDP binding that routes this track's datagrams to its session.</summary>
    public IUdpPacketSink? UdpSink { get; set; }

    /// <summary>The SSRC this reader sees for the track (ours, not the publisher's).</summary>
    public uint Ssrc { get; set; }

    public ushort NextSequenceNumber { get; set; }

    public uint LastTimestamp { get; set; }

    public long LastArrival { get; set; }

    public uint PacketsSent { get; set; }

    public uint OctetsSent { get; set; }
}
