using System.Net;
using System.Net.Sockets;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The claim one session track holds on a client's UDP source address for RTP or for RTCP
/// (DESIGN.md invariant 7): datagrams from <see cref="Source"/> on the matching server socket go
/// to this track and nowhere else, from SETUP until the session ends.
/// </summary>
internal sealed class UdpTrackSink
{
    private readonly RtspSession _session;
    private readonly int _trackIndex;
    private readonly Action<SessionTrack, ReadOnlySpan<byte>> _sendReport;

    public UdpTrackSink(RtspSession session, int trackIndex, IPEndPoint source, bool isRtcp, RtspUdpTransport udp)
    {
        _session = session;
        _trackIndex = trackIndex;
        Source = source.Serialize();
        IsRtcp = isRtcp;
        _sendReport = (track, report) => udp.Send(report, track.ClientRtcpAddress!, isRtcp: true);
    }

    /// <summary>The client address this track claims; never mutated, so it is a safe map key.</summary>
    public SocketAddress Source { get; }

    /// <summary>Which server socket the claim is for: RTCP, or RTP.</summary>
    public bool IsRtcp { get; }

    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        if (IsRtcp)
        {
            _session.OnRtcp(_trackIndex, datagram);
            return;
        }

        _session.OnPublisherRtp(_trackIndex, datagram);
        _session.SendReceiverReportsIfDue(_session.Connection.ReceiverReportIntervalMs, _sendReport);
    }

    public override string ToString() => $"RTSP session {_session.Id} track {_trackIndex} ({(IsRtcp ? "RTCP" : "RTP")})";
}
