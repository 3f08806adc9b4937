using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>Egress as RTP/AVP over UDP from the server's shared RTP/RTCP sockets.</summary>
internal sealed class UdpReaderEgress : ReaderEgress
{
    private readonly RtspUdpTransport _udp;
    private byte[] _scratch = new byte[2048];

    public UdpReaderEgress(RtspSession session, MediaStreamReader reader, RtspUdpTransport udp, RtspOptions options, ILogger logger)
        : base(session, reader, EgressTransport.RtspUdp, options, logger)
    {
        _udp = udp;
    }

    protected override void Send(MediaPacket packet, SessionTrack track)
    {
        ReadOnlySpan<byte> data = packet.Data;
        if (data.Length > _scratch.Length)
        {
            _scratch = new byte[data.Length];
        }

        Span<byte> rtp = _scratch.AsSpan(0, data.Length);
        data.CopyTo(rtp);
        RtpHeader.Rewrite(rtp, track.NextSequenceNumber++, packet.Timestamp, track.Ssrc);
        _udp.Send(rtp, track.ClientRtpAddress!, isRtcp: false);
    }

    protected override void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track) =>
        _udp.Send(compound, track.ClientRtcpAddress!, isRtcp: true);

    protected override ValueTask<bool> FlushAsync() => ValueTask.FromResult(true);

    protected override void OnEnded(bool streamEnded) => Session.Connection.RequestClose(
        streamEnded ? "the stream ended" : "egress failed");
}
