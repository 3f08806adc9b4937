using MediaServer.Core.Metrics;
using MediaServer.Core.Net;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Egress as RTP/AVP over UDP from the server's shared RTP/RTCP sockets. RTP packets are rewritten
/// in place in a send batch and leave in one system call per burst; the few RTCP sender reports go
/// straight out on the RTCP socket. A join's replay is paced: a datagram the player's socket has
/// no room for is lost without a trace.
/// </summary>
internal sealed class UdpReaderEgress : ReaderEgress
{
    private readonly RtspUdpTransport _udp;
    private readonly BurstSendBatch _burst;
    private byte[] _scratch = [];

    public UdpReaderEgress(RtspSession session, MediaStreamReader reader, RtspUdpTransport udp, RtspOptions options, ILogger logger, JoinMode joinMode)
        : base(session, reader, EgressTransport.RtspUdp, options, logger, joinMode, paceReplay: true)
    {
        _udp = udp;
        _burst = new BurstSendBatch(udp.RtpBatches);
    }

    protected override void Send(MediaPacket packet, SessionTrack track, uint timestamp)
    {
        ReadOnlySpan<byte> data = packet.Data;
        UdpSendBatch batch = _burst.Batch;
        if (data.Length <= batch.MaxDatagramLength)
        {
            Span<byte> slot = batch.Reserve()[..data.Length];
            data.CopyTo(slot);
            RtpHeader.Rewrite(slot, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);
            batch.Commit(data.Length, track.ClientRtpAddress!);
            return;
        }

        if (data.Length > _scratch.Length)
        {
            _scratch = new byte[data.Length];
        }

        Span<byte> rtp = _scratch.AsSpan(0, data.Length);
        data.CopyTo(rtp);
        RtpHeader.Rewrite(rtp, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);
        batch.SendNow(rtp, track.ClientRtpAddress!);
    }

    protected override void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track) =>
        _udp.Send(compound, track.ClientRtcpAddress!, isRtcp: true);

    protected internal override ValueTask<bool> FlushAsync()
    {
        // Failed datagrams are counted by the batch; a reader that went away times out elsewhere.
        _burst.Flush();
        return ValueTask.FromResult(true);
    }

    protected override void OnEnded(bool streamEnded) => Session.Connection.RequestClose(
        streamEnded ? "the stream ended" : "egress failed");
}
