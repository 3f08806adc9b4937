using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Egress over the RTSP connection itself (RTP/AVP/TCP, interleaved). While it runs it is the
/// connection's only writer: RTSP responses are queued to it and written between bursts. A join's
/// replay is not paced here: TCP's flow control loses nothing, and pacing would only delay it.
/// </summary>
internal sealed class TcpReaderEgress : ReaderEgress
{
    private readonly PipeWriter _output;
    private readonly ConcurrentQueue<byte[]> _control = new();

    public TcpReaderEgress(RtspSession session, MediaStreamReader reader, PipeWriter output, RtspOptions options, ILogger logger, JoinMode joinMode)
        : base(session, reader, EgressTransport.RtspTcp, options, logger, joinMode, paceReplay: false)
    {
        _output = output;
    }

    /// <summary>Queues a serialized RTSP response for the next burst.</summary>
    public void EnqueueControl(byte[] message)
    {
        _control.Enqueue(message);
        Reader.Wake();
    }

    protected override void Send(MediaPacket packet, SessionTrack track, uint timestamp) =>
        InterleavedRtpWriter.Write(_output, track.RtpChannel, packet.Data, track.Sender.TakeSequenceNumber(), timestamp, track.Ssrc);

    protected override void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track)
    {
        InterleavedFrame.Write(_output, (byte)track.RtcpChannel, compound);
    }

    protected internal override async ValueTask<bool> FlushAsync()
    {
        while (_control.TryDequeue(out byte[]? message))
        {
            _output.Write(message);
        }

        FlushResult result = await _output.FlushAsync();
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>Writes responses queued after the loop stopped, so none is lost.</summary>
    public async ValueTask DrainControlAsync()
    {
        if (_control.IsEmpty)
        {
            return;
        }

        while (_control.TryDequeue(out byte[]? message))
        {
            _output.Write(message);
        }

        await _output.FlushAsync();
    }

    protected internal override void Interrupt() => _output.CancelPendingFlush();

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
