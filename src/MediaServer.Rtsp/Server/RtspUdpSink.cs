using System.Buffers;
using MediaServer.Core.Metrics;
using MediaServer.Core.Net;
using MediaServer.Media.Rtp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Egress as RTP/AVP over UDP from the server's shared RTP/RTCP sockets. RTP packets are rewritten
/// in place in a send batch lent for the burst and leave in one system call per burst; the few RTCP
/// sender reports go straight out on the RTCP socket. A join's replay is paced: a datagram the
/// player's socket has no room for is lost without a trace.
/// </summary>
internal readonly struct RtspUdpSink : IRtspTransportSink
{
    private readonly RtspSession _session;
    private readonly RtspUdpTransport _udp;
    private readonly BurstSendBatch _burst;

    public RtspUdpSink(RtspSession session, RtspUdpTransport udp)
    {
        _session = session;
        _udp = udp;
        _burst = new BurstSendBatch(udp.RtpBatches);
    }

    public static EgressTransport Label => EgressTransport.RtspUdp;

    public static bool PacesReplay => true;

    public void SendRtp(SessionTrack track, ReadOnlySpan<byte> rtp, uint timestamp)
    {
        UdpSendBatch batch = _burst.Batch;
        if (rtp.Length <= batch.MaxDatagramLength)
        {
            Span<byte> slot = batch.Reserve()[..rtp.Length];
            rtp.CopyTo(slot);
            RtpHeader.Rewrite(slot, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);
            batch.Commit(rtp.Length, track.ClientRtpAddress!);
            return;
        }

        // Larger than a batch slot (a camera's packet over TCP ingest): rewritten in a copy and sent alone.
        byte[] copy = ArrayPool<byte>.Shared.Rent(rtp.Length);
        try
        {
            Span<byte> packet = copy.AsSpan(0, rtp.Length);
            rtp.CopyTo(packet);
            RtpHeader.Rewrite(packet, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);
            batch.SendNow(packet, track.ClientRtpAddress!);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void SendRtcp(SessionTrack track, ReadOnlySpan<byte> compound) =>
        _udp.Send(compound, track.ClientRtcpAddress!, isRtcp: true);

    public ValueTask<bool> FlushAsync()
    {
        // Failed datagrams are counted by the batch; a reader that went away times out elsewhere.
        _burst.Flush();
        return ValueTask.FromResult(true);
    }

    /// <summary>Sending never blocks: nothing to interrupt.</summary>
    public void Interrupt()
    {
    }

    /// <summary>A burst cut short by a stop still leaves, and its batch goes back to the pool.</summary>
    public void OnExited() => _burst.Flush();

    public void Disconnect(string reason) => _session.Connection.RequestClose(reason);

    public void OnEnded(bool streamEnded) => _session.Connection.RequestClose(
        streamEnded ? "the stream ended" : "egress failed");
}
