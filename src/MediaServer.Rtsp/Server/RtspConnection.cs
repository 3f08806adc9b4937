using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// One RTSP TCP connection: reads requests and interleaved frames from the pipe, hands requests
/// to the <see cref="RtspRequestHandler"/> and writes the responses. Sessions live here and only
/// here, so a session id is useless on any other connection (DESIGN.md invariant 5).
/// </summary>
public sealed class RtspConnection
{
    private readonly ConnectionContext _connection;
    private readonly RtspServerContext _server;
    private readonly RtspRequestParser _parser;
    private readonly RtspRequest _request = new();
    private readonly RtspResponse _response = new();
    private readonly RtspRequestHandler _handler;
    private readonly ChannelBinding[] _channels = new ChannelBinding[256];
    // Only for RTCP frames split across pipe segments (rare); sized to what arrives, so an idle
    // connection does not carry a 64 KiB buffer it never uses.
    private byte[]? _rtcpScratch;
    private readonly Action<SessionTrack, ReadOnlySpan<byte>> _writeInterleavedRtcp;
    private readonly List<MediaStream> _burst = new(4);
    private volatile string? _closeReason;
    private long _unknownChannelFrames;
    private long _nextReceiverReportCheck;
    private long _lastRequestAt = Environment.TickCount64;
    private long _partialRequestSince;

    internal RtspConnection(ConnectionContext connection, RtspServerContext server)
    {
        _connection = connection;
        _server = server;
        _parser = new RtspRequestParser(server.Options.Limits);
        Logger = server.LoggerFactory.CreateLogger<RtspConnection>();
        Output = new RtspOutput(connection.Transport.Output);
        _handler = new RtspRequestHandler(this, server);
        _writeInterleavedRtcp = WriteInterleavedRtcp;
    }

    public string ConnectionId => _connection.ConnectionId;

    public EndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    public EndPoint? LocalEndPoint => _connection.LocalEndPoint;

    /// <summary>True on the RTSPS listener: the connection runs inside TLS.</summary>
    public bool IsSecure => _connection.Features.Get<ITlsConnectionFeature>() is not null;

    /// <summary>Cancelled when the client has gone: a request that waits (for an on-demand source) stops waiting.</summary>
    internal CancellationToken Closing => _connection.ConnectionClosed;

    public long UnknownChannelFrames => Interlocked.Read(ref _unknownChannelFrames);

    internal ILogger Logger { get; }

    internal long ReceiverReportIntervalMs => (long)(_server.Options.ReceiverReportIntervalSeconds * 1000);

    /// <summary>The connection's one writer, for responses and interleaved frames alike.</summary>
    internal RtspOutput Output { get; }

    internal ConcurrentDictionary<string, RtspSession> Sessions { get; } = new(StringComparer.Ordinal);

    internal ChannelBinding[] Channels => _channels;

    /// <summary>Ends the connection after the current step; safe from any thread.</summary>
    public void RequestClose(string reason)
    {
        _closeReason ??= reason;
        _connection.Transport.Input.CancelPendingRead();
    }

    /// <summary>
    /// Ends the connection at once, dropping what is still unsent: for a client that stopped
    /// reading, or a shutdown whose grace period is over. A plain close would leave the transport
    /// sending queued data when the connection is disposed, holding the socket for as long as the
    /// client does not read.
    /// </summary>
    public void Abort(string reason)
    {
        RequestClose(reason);
        _connection.Abort(new ConnectionAbortedException(reason));
    }

    internal async Task RunAsync()
    {
        using IDisposable? scope = Logger.BeginScope("RTSP {ConnectionId} {Remote}", _connection.ConnectionId, _connection.RemoteEndPoint);
        PipeReader input = _connection.Transport.Input;
        try
        {
            while (_closeReason is null)
            {
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool keepGoing = true;
                while (keepGoing && _closeReason is null)
                {
                    Step step = ReadStep(ref buffer);
                    if (step == Step.NeedMoreData)
                    {
                        break;
                    }

                    if (step == Step.Request)
                    {
                        WakeReaders();
                        keepGoing = await HandleRequestAsync();
                    }
                    else if (step == Step.Reject)
                    {
                        await Output.WriteResponseAsync(_response);
                        keepGoing = false;
                    }
                }

                // Everything this read brought is queued: wake each reader once for the whole burst.
                WakeReaders();
                input.AdvanceTo(buffer.Start, buffer.End);
                if (!keepGoing || result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                await SendReceiverReportsIfDueAsync();
            }
        }
        catch (ConnectionResetException)
        {
        }
        catch (ConnectionAbortedException)
        {
        }
        catch (IOException)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "RTSP connection failed");
        }
        finally
        {
            WakeReaders();
            await CloseSessionsAsync();
        }

        if (_closeReason is not null)
        {
            Logger.LogInformation("Closing RTSP connection: {Reason}", _closeReason);
        }
    }

    internal void CloseExpiredSessions(long now, long timeout)
    {
        foreach (RtspSession session in Sessions.Values)
        {
            // Readers over TCP live as long as their connection; everything else must show signs of life.
            bool mayExpire = session.Mode != SessionMode.Read || session.Transport == SessionTransport.Udp;
            if (mayExpire && now - session.LastActivity > timeout)
            {
                RequestClose($"session {session.Id} timed out");
            }
        }

        if (_handler.AnnouncedAt is long announcedAt && now - announcedAt > timeout)
        {
            RequestClose("ANNOUNCE was never followed by SETUP and RECORD");
        }

        // A request trickling in byte by byte, or a connection that never sets anything up, holds a
        // socket and a buffer for nothing (slowloris): both end.
        long partialSince = Volatile.Read(ref _partialRequestSince);
        if (partialSince != 0 && now - partialSince > _server.Options.Limits.RequestTimeoutSeconds * 1000L)
        {
            MetricsRegistry.LimitRejections.WithLabels("rtsp_request_timeout").Inc();
            RequestClose($"a request took longer than Rtsp:Limits:RequestTimeoutSeconds ({_server.Options.Limits.RequestTimeoutSeconds} s)");
        }
        else if (Sessions.IsEmpty && _handler.AnnouncedAt is null && now - Volatile.Read(ref _lastRequestAt) > timeout)
        {
            MetricsRegistry.LimitRejections.WithLabels("rtsp_idle_connection").Inc();
            RequestClose("no session was set up and no request came within the session timeout");
        }
    }

    internal void Bind(int channel, RtspSession session, int trackIndex, bool isRtcp) =>
        _channels[channel] = new ChannelBinding(session, trackIndex, isRtcp);

    internal void Unbind(RtspSession session)
    {
        for (int i = 0; i < _channels.Length; i++)
        {
            if (ReferenceEquals(_channels[i].Session, session))
            {
                _channels[i] = ChannelBinding.Ended;
            }
        }
    }

    /// <summary>RTCP receiver reports to TCP publishers, written between reads on the ingest loop.</summary>
    private async ValueTask SendReceiverReportsIfDueAsync()
    {
        // Checked after every read: one clock read, nothing enumerated or allocated until due.
        long now = Environment.TickCount64;
        if (now < _nextReceiverReportCheck || Output.IsWritingFrames)
        {
            return; // a reader's egress writes the frames; a connection that plays and records is rare
        }

        _nextReceiverReportCheck = now + Math.Max(10, ReceiverReportIntervalMs / 4);

        bool wrote = false;
        foreach (RtspSession session in Sessions.Values)
        {
            if (session.Transport == SessionTransport.Interleaved)
            {
                wrote |= session.SendReceiverReportsIfDue(ReceiverReportIntervalMs, _writeInterleavedRtcp);
            }
        }

        if (wrote)
        {
            await Output.FlushAsync();
        }
    }

    private void WriteInterleavedRtcp(SessionTrack track, ReadOnlySpan<byte> report) =>
        Output.WriteFrame(track.RtcpChannel, report);

    private Step ReadStep(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return Step.NeedMoreData;
        }

        InterleavedReadStatus frame = InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload);
        if (frame == InterleavedReadStatus.Incomplete)
        {
            return Step.NeedMoreData;
        }

        if (frame == InterleavedReadStatus.Complete)
        {
            OnInterleavedFrame(channel, payload);
            return Step.Frame;
        }

        RtspParseStatus parse = _parser.TryParseRequest(ref buffer, _request, out RtspRejectionReason rejection);
        if (parse == RtspParseStatus.Incomplete)
        {
            if (Volatile.Read(ref _partialRequestSince) == 0)
            {
                Volatile.Write(ref _partialRequestSince, Environment.TickCount64);
            }

            return Step.NeedMoreData;
        }

        Volatile.Write(ref _partialRequestSince, 0);

        if (parse == RtspParseStatus.Rejected)
        {
            // Framing is lost: answer once, then close this connection only.
            Logger.LogWarning("Rejected RTSP request: {Reason}", rejection);
            if (RtspRejection.ExceededLimit(rejection) is { } limit)
            {
                MetricsRegistry.LimitRejections.WithLabels(limit).Inc();
            }

            _response.Reset();
            _response.StatusCode = RtspRejection.StatusCode(rejection);
            _response.CSeq = _request.CSeq;
            _closeReason ??= $"malformed request ({rejection})";
            return Step.Reject;
        }

        return Step.Request;
    }

    private void OnInterleavedFrame(byte channel, ReadOnlySequence<byte> payload)
    {
        ChannelBinding binding = _channels[channel];
        if (binding.Session is null || binding.Session.IsClosed)
        {
            if (binding.SessionEnded || binding.Session is not null)
            {
                // RTP or RTCP the client sent before it learnt its session ended: expected, harmless.
                PacketDrops.SessionEnded.Inc();
                return;
            }

            // A channel no SETUP of this connection named: a client bug or garbage; drop the frame, keep the connection.
            Interlocked.Increment(ref _unknownChannelFrames);
            PacketDrops.UnknownTrack.Inc();
            return;
        }

        if (binding.IsRtcp)
        {
            if (payload.IsSingleSegment)
            {
                binding.Session.OnRtcp(binding.TrackIndex, payload.FirstSpan);
                return;
            }

            int length = (int)payload.Length;
            if (_rtcpScratch is null || _rtcpScratch.Length < length)
            {
                _rtcpScratch = new byte[Math.Max(2048, length)];
            }

            payload.CopyTo(_rtcpScratch);
            binding.Session.OnRtcp(binding.TrackIndex, _rtcpScratch.AsSpan(0, length));
            return;
        }

        RtspSession session = binding.Session;
        session.Touch();
        if (session.Mode == SessionMode.Publish && session.Stream is { } stream)
        {
            stream.PublishRtp(binding.TrackIndex, payload, deferWake: true);
            if (!_burst.Contains(stream))
            {
                _burst.Add(stream);
            }
        }
        else if (session.IsPublisher)
        {
            PacketDrops.BeforeRecord.Inc();
        }
    }

    private void WakeReaders()
    {
        foreach (MediaStream stream in _burst)
        {
            stream.WakeDeferredReaders();
        }

        _burst.Clear();
    }

    private async ValueTask<bool> HandleRequestAsync()
    {
        _response.Reset();
        _response.CSeq = _request.CSeq;
        Volatile.Write(ref _lastRequestAt, Environment.TickCount64);
        // Every log line about this request carries its method, URL (the path) and session.
        using IDisposable? scope = Logger.BeginScope("{Method} {Url} {Session}", _request.MethodName, _request.Uri, _request.Session);
        bool keepOpen = await _handler.HandleAsync(_request, _response);
        await Output.WriteResponseAsync(_response);
        _handler.AfterResponse();
        return keepOpen;
    }

    private async Task CloseSessionsAsync()
    {
        foreach (RtspSession session in Sessions.Values)
        {
            await _handler.CloseSessionAsync(session);
        }

        Sessions.Clear();
        _handler.AbandonAnnounce();
    }

    private enum Step
    {
        NeedMoreData,
        Frame,
        Request,
        Reject,
    }
}
