using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Egress over the RTSP connection itself (RTP/AVP/TCP, interleaved). While it runs it is the
/// connection's only frame writer, through the connection's <see cref="RtspOutput"/>, which writes
/// the RTSP responses queued meanwhile at each flush. A join's
/// replay is not paced here: TCP's flow control loses nothing, and pacing would only delay it.
/// </summary>
internal sealed class TcpReaderEgress : ReaderEgress
{
    private readonly RtspOutput _output;

    public TcpReaderEgress(RtspSession session, MediaStreamReader reader, RtspOutput output, RtspOptions options, ILogger logger, JoinMode joinMode)
        : base(session, reader, EgressTransport.RtspTcp, options, logger, joinMode, paceReplay: false)
    {
        _output = output;
    }

    protected override void Send(MediaPacket packet, SessionTrack track, uint timestamp) =>
        _output.WriteRtp(track.RtpChannel, packet.Data, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);

    protected override void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track)
    {
        _output.WriteFrame(track.RtcpChannel, compound);
    }

    protected internal override ValueTask<bool> FlushAsync() => _output.FlushFramesAsync();

    protected internal override void Interrupt() => _output.CancelFlush();

    /// <summary>
    /// The client stopped reading: its flush is interrupted (the cancel is kept for the next flush
    /// if none is pending), and the connection is aborted rather than closed, since what is still
    /// unsent would otherwise wait for that client forever.
    /// </summary>
    protected override void Disconnect(string reason)
    {
        Interrupt();
        Session.Connection.Abort(reason);
    }

    protected override void OnEnded(bool streamEnded) => Session.Connection.RequestClose(
        streamEnded ? "the stream ended" : "the reader's connection failed");
}
