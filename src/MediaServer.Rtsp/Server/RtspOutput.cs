using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The one writer of an RTSP connection's output: responses and interleaved frames both go
/// through it, and its PipeWriter never changes hands. While no reader plays over the connection
/// the ingest loop writes responses (and a publisher's receiver reports) itself. While one does,
/// that reader's egress loop is the only frame writer and flushes once per burst; a response
/// then waits in a queue the egress writes before its next flush, so it never splits a frame.
/// </summary>
internal sealed class RtspOutput
{
    private readonly PipeWriter _writer;
    private readonly ConcurrentQueue<byte[]> _responses = new();

    // Set and cleared by the ingest loop, the only caller of everything but the frame-writer methods.
    private Action? _wakeFrameWriter;

    public RtspOutput(PipeWriter writer) => _writer = writer;

    /// <summary>True while an egress loop writes frames (between <see cref="StartFrames"/> and <see cref="EndFramesAsync"/>).</summary>
    public bool IsWritingFrames => _wakeFrameWriter is not null;

    /// <summary>Ingest loop: writes and flushes a response, or queues it for the running egress loop.</summary>
    public ValueTask WriteResponseAsync(RtspResponse response)
    {
        if (_wakeFrameWriter is { } wake)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            response.WriteTo(buffer);
            _responses.Enqueue(buffer.WrittenSpan.ToArray());
            wake();
            return ValueTask.CompletedTask;
        }

        response.WriteTo(_writer);
        return FlushAsync();
    }

    /// <summary>
    /// Ingest loop, after the PLAY response is flushed: from now on the egress loop writes, and
    /// <paramref name="wake"/> wakes it for a queued response.
    /// </summary>
    public void StartFrames(Action wake) => _wakeFrameWriter = wake;

    /// <summary>Ingest loop, after the egress loop ended: takes the output back and writes the responses still queued.</summary>
    public ValueTask EndFramesAsync()
    {
        _wakeFrameWriter = null;
        return _responses.IsEmpty ? ValueTask.CompletedTask : FlushAsync();
    }

    /// <summary>One RTP packet as an interleaved frame, rewritten for the reader; buffered until the flush.</summary>
    public void WriteRtp(int channel, ReadOnlySpan<byte> rtp, ushort sequenceNumber, uint timestamp, uint ssrc) =>
        InterleavedRtpWriter.Write(_writer, channel, rtp, sequenceNumber, timestamp, ssrc);

    /// <summary>One interleaved frame (RTCP); buffered until the flush.</summary>
    public void WriteFrame(int channel, ReadOnlySpan<byte> payload) => InterleavedFrame.Write(_writer, (byte)channel, payload);

    /// <summary>Egress loop: writes the queued responses after the burst and flushes; false when the client is gone.</summary>
    public ValueTask<bool> FlushFramesAsync()
    {
        WriteQueuedResponses();
        ValueTask<FlushResult> flush = _writer.FlushAsync();

        // A flush the socket takes at once (the usual case) completes without a state machine.
        return flush.IsCompletedSuccessfully ? ValueTask.FromResult(IsOpen(flush.Result)) : AwaitFlushAsync(flush);
    }

    /// <summary>Unblocks a flush stuck on a client that stopped reading (kept for the next flush if none is pending).</summary>
    public void CancelFlush() => _writer.CancelPendingFlush();

    /// <summary>Ingest loop, while no egress writes: flushes what it wrote.</summary>
    public async ValueTask FlushAsync()
    {
        WriteQueuedResponses();
        await _writer.FlushAsync();
    }

    private static bool IsOpen(FlushResult result) => !result.IsCompleted && !result.IsCanceled;

    private static async ValueTask<bool> AwaitFlushAsync(ValueTask<FlushResult> flush) => IsOpen(await flush);

    private void WriteQueuedResponses()
    {
        while (_responses.TryDequeue(out byte[]? message))
        {
            _writer.Write(message);
        }
    }
}
