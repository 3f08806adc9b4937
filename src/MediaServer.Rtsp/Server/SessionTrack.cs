using System.Net;
using System.Security.Cryptography;
using MediaServer.Core.Egress;

namespace MediaServer.Rtsp.Server;

/// <summary>One track of a session as negotiated by SETUP, with the reader's RTP sender for it.</summary>
internal sealed class SessionTrack
{
    public SessionTrack(int trackIndex)
    {
        TrackIndex = trackIndex;
        Sender = new RtpSender((uint)RandomNumberGenerator.GetInt32(int.MaxValue), (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue));
    }

    public int TrackIndex { get; }

    /// <summary>Interleaved channels (TCP) or -1.</summary>
    public int RtpChannel { get; set; } = -1;

    public int RtcpChannel { get; set; } = -1;

    /// <summary>The client's RTP and RTCP addresses this track claimed (UDP), or null.</summary>
    public UdpTrackSink? RtpSink { get; set; }

    public UdpTrackSink? RtcpSink { get; set; }

    public SocketAddress? ClientRtpAddress => RtpSink?.Source;

    public SocketAddress? ClientRtcpAddress => RtcpSink?.Source;

    /// <summary>SSRC, sequence numbers and counts of what a reader is sent on this track.</summary>
    public RtpSender Sender { get; }

    /// <summary>The SSRC this reader sees for the track (ours, not the publisher's).</summary>
    public uint Ssrc => Sender.Ssrc;
}
