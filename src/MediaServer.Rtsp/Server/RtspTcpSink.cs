using MediaServer.Core.Metrics;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Egress over the RTSP connection itself (RTP/AVP/TCP, interleaved). While it runs it is the
/// connection's only frame writer, through the connection's <see cref="RtspOutput"/>, which writes
/// the RTSP responses queued meanwhile at each flush. A join's replay is not paced here: TCP's
/// flow control loses nothing, and pacing would only delay it.
/// </summary>
internal readonly struct RtspTcpSink(RtspSession session, RtspOutput output) : IRtspTransportSink
{
    public static EgressTransport Label => EgressTransport.RtspTcp;

    public static bool PacesReplay => false;

    public void SendRtp(SessionTrack track, ReadOnlySpan<byte> rtp, uint timestamp) =>
        output.WriteRtp(track.RtpChannel, rtp, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);

    public void SendRtcp(SessionTrack track, ReadOnlySpan<byte> compound) => output.WriteFrame(track.RtcpChannel, compound);

    public ValueTask<bool> FlushAsync() => output.FlushFramesAsync();

    public void Interrupt() => output.CancelFlush();

    public void OnExited()
    {
    }

    /// <summary>
    /// The client stopped reading: its flush is interrupted (the cancel is kept for the next flush
    /// if none is pending), and the connection is aborted rather than closed, since what is still
    /// unsent would otherwise wait for that client forever.
    /// </summary>
    public void Disconnect(string reason)
    {
        output.CancelFlush();
        session.Connection.Abort(reason);
    }

    public void OnEnded(bool streamEnded) => session.Connection.RequestClose(
        streamEnded ? "the stream ended" : "the reader's connection failed");
}
