using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using MediaServer.Core.Sources;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// Media over the RTSP connection (RFC 2326 §10.12): reads interleaved frames from the
/// connection's pipe and publishes each RTP packet in place (no copy, no allocation per packet),
/// hands RTCP to the publisher, wakes readers once per read, answers keep-alives' answers, and
/// sends receiver reports on the tracks' RTCP channels. One instance per play, on one thread at a time.
/// </summary>
internal sealed class InterleavedIngest
{
    private const short NoTrack = -1;
    private readonly PipeReader _input;
    private readonly PulledTrack[] _tracks;
    private readonly SourcePublisher _publisher;
    private readonly RtspResponseParser _parser;
    private readonly RtspResponse _answer = new();
    private readonly Action<RtspResponse>? _onAnswer;

    // Channel -> track index * 2 (+1 for its RTCP channel), or NoTrack.
    private readonly short[] _channels = new short[256];
    private readonly byte[] _rtcp = new byte[InterleavedFrame.MaxPayloadLength];
    private long _lastMediaAt;

    public InterleavedIngest(PipeReader input, PulledTrack[] tracks, SourcePublisher publisher, RtspResponseParser parser, Action<RtspResponse>? onAnswer = null)
    {
        _input = input;
        _tracks = tracks;
        _publisher = publisher;
        _parser = parser;
        _onAnswer = onAnswer;
        Array.Fill(_channels, NoTrack);
        foreach (PulledTrack track in tracks)
        {
            _channels[track.Channels.Rtp] = (short)(track.Index * 2);
            _channels[track.Channels.Rtcp] = (short)((track.Index * 2) + 1);
        }
    }

    /// <summary>What one buffer held: go on, the camera said goodbye, or the bytes are not RTSP.</summary>
    public enum Outcome
    {
        More,
        Goodbye,
        Malformed,
    }

    /// <summary>When the last RTP packet arrived (<see cref="Environment.TickCount64"/>), 0 before the first.</summary>
    public long LastMediaAt => Volatile.Read(ref _lastMediaAt);

    /// <summary>
    /// Reads until the camera closes (<see cref="SourceFailureReason.Ended"/>), says goodbye, sends
    /// garbage (<see cref="SourceFailureReason.Protocol"/>), stops sending (<see cref="SourceFailureReason.NoMedia"/>,
    /// through <paramref name="isStalled"/> and <see cref="PipeReader.CancelPendingRead"/>) or is cancelled.
    /// </summary>
    public async Task RunAsync(Func<bool> isStalled, Func<Task> sendReportsIfDue, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration cancel = cancellationToken.UnsafeRegister(static s => ((PipeReader)s!).CancelPendingRead(), _input);
        long unconsumed = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(CancellationToken.None);
            }
            catch (IOException e)
            {
                // A reset (a camera that lost power or rebooted) ends the stream as a close does.
                throw new SourceException(SourceFailureReason.Ended, $"the camera's connection failed: {e.Message}", e);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (result.IsCanceled)
            {
                if (isStalled())
                {
                    throw new SourceException(SourceFailureReason.NoMedia, "no media from the camera within the read timeout");
                }

                continue;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            _publisher.AddBytes((int)(buffer.Length - unconsumed));
            Outcome outcome = Consume(ref buffer, out string? error);
            _publisher.EndBurst();
            unconsumed = buffer.Length;
            _input.AdvanceTo(buffer.Start, buffer.End);
            switch (outcome)
            {
                case Outcome.Goodbye:
                    throw new SourceException(SourceFailureReason.Ended, "the camera ended the stream (RTCP BYE)");
                case Outcome.Malformed:
                    throw new SourceException(SourceFailureReason.Protocol, $"the camera sent something that is neither an interleaved frame nor an RTSP answer: {error}");
            }

            if (result.IsCompleted)
            {
                throw new SourceException(SourceFailureReason.Ended, "the camera closed the connection");
            }

            await sendReportsIfDue();
        }
    }

    /// <summary>The per-read work: every whole frame and answer in <paramref name="buffer"/>, which is sliced past them.</summary>
    public Outcome Consume(ref ReadOnlySequence<byte> buffer, out string? error)
    {
        error = null;
        bool media = false;
        bool goodbye = false;
        long now = Stopwatch.GetTimestamp();
        while (!buffer.IsEmpty)
        {
            InterleavedReadStatus status = InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload);
            if (status == InterleavedReadStatus.Complete)
            {
                short slot = _channels[channel];
                if (slot == NoTrack)
                {
                    continue;
                }

                PulledTrack track = _tracks[slot >> 1];
                if ((slot & 1) == 0)
                {
                    OnRtp(track, payload, now);
                    media = true;
                }
                else
                {
                    goodbye |= OnRtcp(track, payload);
                }

                continue;
            }

            if (status == InterleavedReadStatus.Incomplete)
            {
                break;
            }

            // Not a frame: an RTSP answer (to a keep-alive) or garbage.
            RtspParseStatus parsed = _parser.TryParse(ref buffer, _answer, out error);
            if (parsed == RtspParseStatus.Rejected)
            {
                return Outcome.Malformed;
            }

            if (parsed == RtspParseStatus.Incomplete)
            {
                break;
            }

            _onAnswer?.Invoke(_answer);
        }

        if (media)
        {
            Volatile.Write(ref _lastMediaAt, Environment.TickCount64);
        }

        return goodbye ? Outcome.Goodbye : Outcome.More;
    }

    private void OnRtp(PulledTrack track, in ReadOnlySequence<byte> payload, long now)
    {
        ReadOnlySpan<byte> first = payload.FirstSpan;
        if (first.Length >= 12 || payload.IsSingleSegment)
        {
            track.OnRtp(first, now);
        }
        else
        {
            Span<byte> header = stackalloc byte[12];
            int length = (int)Math.Min(12, payload.Length);
            payload.Slice(0, length).CopyTo(header);
            track.OnRtp(header[..length], now);
        }

        if (payload.IsSingleSegment)
        {
            _publisher.PublishRtp(track.Index, first);
        }
        else
        {
            _publisher.PublishRtp(track.Index, payload);
        }
    }

    private bool OnRtcp(PulledTrack track, in ReadOnlySequence<byte> payload)
    {
        ReadOnlySpan<byte> compound;
        if (payload.IsSingleSegment)
        {
            compound = payload.FirstSpan;
        }
        else
        {
            payload.CopyTo(_rtcp);
            compound = _rtcp.AsSpan(0, (int)payload.Length);
        }

        _publisher.OnRtcp(track.Index, compound);
        return track.OnRtcp(compound);
    }
}
