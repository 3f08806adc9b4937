using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MediaServer.Core.Egress;
using MediaServer.Core.Metrics;
using MediaServer.Core.Net;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Rtcp;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Srtp;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// Sends one session's stream to its browser: drains the reader, repacketizes video to the
/// negotiated packet size (with parameter sets in band before every keyframe), rewrites SSRC,
/// sequence numbers and timestamps, keeps each sent packet for NACKs, encrypts it in place in a
/// send batch with the SRTP keys of the track's transport and addresses it to that transport's
/// browser address (one transport when bundled, one per track otherwise), and sends each drained
/// burst in one system call. A track whose transport is not connected yet drops its packets.
/// Cached frames replayed at start (or after a PLI) are paced (<see cref="ReplayPacer"/>: megabytes
/// at once overflow the browser's socket, and a lost keyframe costs a second replay) and given
/// timestamps that follow the pace they leave at, at least 1 ms apart, so the browser shows each as
/// it comes and is at the live picture when the replay ends instead of playing the GOP back in
/// real time; audio starts live.
/// All sending state is touched only by this loop; the UDP thread hands over feedback via a queue.
/// </summary>
internal sealed class WebRtcEgress : IRtpPayloadSink
{
    private const int RtpHeaderLength = 12;
    private const int SrtpOverhead = 16;
    private static readonly long CatchUpAge = Stopwatch.Frequency / 7; // ~150 ms
    private static readonly long SenderReportInterval = Stopwatch.Frequency;

    private readonly WebRtcSession _session;
    private readonly MediaStreamReader _reader;
    private readonly ILogger _logger;
    private readonly EgressTrack?[] _tracks;
    private readonly BurstSendBatch _burst;
    private readonly ConcurrentQueue<NackRequest> _nacks = new();
    private readonly EgressMeter _meter;
    private readonly KeyframeRequestPolicy _keyframePolicy = new();
    private readonly ReplayPacer _pacer;
    private readonly Prometheus.Counter.Child[] _keyframeRequestOutcomes;
    private readonly EgressLoop<WebRtcEgressSink> _loop;
    private int _keyframeWanted; // PLIs and FIRs not yet decided on; the UDP thread adds
    private long _lastSenderReport;
    private long _seenQueueDrops;
    private bool _catchingUp = true;
    private EgressTrack? _current;
    private uint _currentTimestamp;
    private long _keyframeRequests;
    private long _keyframeRequestsDeferred;
    private long _malformedDropped;

    public WebRtcEgress(WebRtcSession session, WebRtcOptions options, ILogger logger)
    {
        _session = session;
        _reader = session.Reader!;
        _logger = logger;
        // Each packet is built, kept for NACKs and encrypted in its own slot of the batch.
        _burst = new BurstSendBatch(session.SendBatches(options.MaxPacketSize + SrtpOverhead));
        _pacer = new ReplayPacer(options.JoinReplayBytesPerSecond, options.JoinReplayBurstBytes);
        _meter = EgressMeters.Open(_reader.Stream.MetricsPath, EgressTransport.WebRtc, _reader.Stream.Tracks.Count);
        _keyframeRequestOutcomes =
        [
            MetricsRegistry.WebRtcKeyframeRequests.WithLabels(_reader.Stream.MetricsPath, "replayed"),
            MetricsRegistry.WebRtcKeyframeRequests.WithLabels(_reader.Stream.MetricsPath, "replay_in_flight"),
            MetricsRegistry.WebRtcKeyframeRequests.WithLabels(_reader.Stream.MetricsPath, "keyframe_already_sent"),
        ];
        _loop = new EgressLoop<WebRtcEgressSink>(_reader, new WebRtcEgressSink(this));
        IReadOnlyList<MediaTrack> streamTracks = _reader.Stream.Tracks;
        _tracks = new EgressTrack?[streamTracks.Count];
        int maxPayload = options.MaxPacketSize - RtpHeaderLength;
        foreach (NegotiatedTrack negotiated in session.Answer.Tracks)
        {
            int index = negotiated.StreamTrackIndex;
            TrackRepacketizer? repacketizer = TrackRepacketizers.For(negotiated.Format.Codec, streamTracks[index], maxPayload);
            _tracks[index] = new EgressTrack(negotiated, session.Transports[negotiated.TransportIndex], options, repacketizer);
        }
    }

    public long PacketsSent => _meter.PacketsSent;

    public long BytesSent => _meter.BytesSent;

    public long NacksReceived => _meter.NacksReceived;

    public long PacketsRetransmitted => _meter.PacketsRetransmitted;

    /// <summary>PLIs and FIRs answered by replaying the cached GOP.</summary>
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

    /// <summary>PLIs and FIRs left to the next live keyframe (see <see cref="KeyframeRequestPolicy"/>).</summary>
    public long KeyframeRequestsDeferred => Interlocked.Read(ref _keyframeRequestsDeferred);

    /// <summary>Camera payloads that could not be repacketized (malformed or an unsupported packetization).</summary>
    public long MalformedDropped => Interlocked.Read(ref _malformedDropped);

    public Task Completion => _loop.Completion;

    public void Start() => _loop.Start();

    /// <summary>Any thread: send from the cached keyframe again (a transport that connected late missed it).</summary>
    public void RequestKeyframe()
    {
        Volatile.Write(ref _keyframeWanted, 1);
        _reader.Wake();
    }

    public async Task StopAsync()
    {
        await _loop.StopAsync();
        _meter.Dispose(); // also when the loop never started
    }

    /// <summary>UDP thread: a decrypted compound RTCP packet from the browser.</summary>
    public void OnRtcp(ReadOnlySpan<byte> compound, ReceiverReportStatistics statistics)
    {
        var feedback = new BrowserFeedback(this, statistics);
        RtcpFeedbackReader.Read(compound, ref feedback);
        if (feedback.Wake)
        {
            _reader.Wake();
        }
    }

    /// <summary>UDP thread: each block is about the track whose SSRC it names.</summary>
    internal void CountReports(ReadOnlySpan<RtcpReportBlock> blocks)
    {
        foreach (RtcpReportBlock block in blocks)
        {
            if (FindBySsrc(block.Ssrc) is { } track)
            {
                _meter.OnReceiverReport(track.Negotiated.StreamTrackIndex, block.FractionLost, block.CumulativeLost,
                    block.Jitter, track.Negotiated.Format.ClockRate);
            }
        }
    }

    /// <summary>UDP thread: the lost packets are queued for the loop to send again from the history.</summary>
    internal void OnNack(uint mediaSsrc, NackList lost)
    {
        int nacks = 0;
        foreach (ushort sequenceNumber in lost)
        {
            _nacks.Enqueue(new NackRequest(mediaSsrc, sequenceNumber));
            nacks++;
        }

        _meter.OnNacks(nacks);
    }

    /// <summary>UDP thread: a PLI or FIR, decided on by the loop (see <see cref="KeyframeRequestPolicy"/>).</summary>
    internal void OnKeyframeRequest(bool fullIntraRequest)
    {
        if (fullIntraRequest)
        {
            _meter.OnFullIntraRequest();
        }
        else
        {
            _meter.OnPictureLoss();
        }

        // A publisher that can be asked (WHIP) is, whatever the cache replays meanwhile.
        _reader.Stream.RequestPublisherKeyframe();
        Interlocked.Increment(ref _keyframeWanted);
    }

    void IRtpPayloadSink.OnPayload(ReadOnlySpan<byte> payload, bool marker) => SendRtp(_current!, payload, marker, _currentTimestamp);

    /// <summary>The clock is read only while catching up; a live viewer's loop never does.</summary>
    internal bool CatchingUp => _catchingUp;

    /// <summary>The replay's pace holds packets back only while catching up.</summary>
    internal long TicksUntilReady(long now) => _catchingUp ? _pacer.TicksUntilReady(now) : 0;

    /// <summary>Retransmissions, media and reports of a burst leave in one sendmmsg on Linux.</summary>
    internal void Flush() => _burst.Flush();

    internal void OnLoopFailed(Exception exception) => _logger.LogWarning(exception, "WebRTC egress of session {SessionId} failed", _session.Id);

    internal void OnLoopExited()
    {
        _burst.Flush(); // a burst cut short by a stop still leaves, and its batch goes back to the pool
        _meter.Dispose();
    }

    /// <param name="now">Stopwatch ticks, read while catching up (0 otherwise).</param>
    internal void Send(MediaPacket packet, long now)
    {
        EgressTrack? track = (uint)packet.TrackIndex < (uint)_tracks.Length ? _tracks[packet.TrackIndex] : null;
        if (track is null)
        {
            return;
        }

        if (_reader.QueueDrops != _seenQueueDrops)
        {
            // The reader restarted at a keyframe (it lagged, or the browser asked): a replay.
            _seenQueueDrops = _reader.QueueDrops;
            _catchingUp = true;
            foreach (EgressTrack? replaying in _tracks)
            {
                if (replaying is not null)
                {
                    replaying.LastReplayedAt = 0; // the replay's first frame follows the last one sent by 1 ms
                }
            }
        }

        if (_catchingUp && now == 0)
        {
            now = Stopwatch.GetTimestamp(); // the replay began with this very packet
        }

        bool replayed = _catchingUp && now - packet.ArrivalTimestamp > CatchUpAge;
        if (_catchingUp && !replayed)
        {
            _catchingUp = false;
        }

        if (replayed)
        {
            _pacer.OnSent(packet.Length, now);
        }

        if (!track.IsVideo && replayed)
        {
            // Old audio would only play back what was already heard, late.
            return;
        }

        bool newAccessUnit = !track.Started || packet.Timestamp != track.LastSourceTimestamp;
        if (replayed && newAccessUnit)
        {
            // As far after the previous frame as it leaves after it (at least 1 ms, at most as far
            // as the camera made it): the browser, seeing frames arrive as their timestamps say,
            // shows each at once and keeps no delay; a replay held up shows as late frames, not a jump.
            uint original = packet.Timestamp - track.LastSourceTimestamp;
            long paced = track.LastReplayedAt == 0 ? 0 :
                Math.Min((int)original > 0 ? original : uint.MaxValue / 2, (now - track.LastReplayedAt) * track.ClockRate / Stopwatch.Frequency);
            uint squeezed = track.Started ? track.Sender.LastTimestamp + Math.Max(track.CatchUpStep, (uint)paced) : packet.Timestamp;
            track.Sender.TimestampOffset = squeezed - packet.Timestamp;
            track.LastReplayedAt = now;
        }

        if (packet.IsRandomAccess && track.IsVideo)
        {
            _keyframePolicy.OnKeyframeSent(packet.Timestamp);
        }

        track.Started = true;
        track.LastSourceTimestamp = packet.Timestamp;
        _current = track;
        _currentTimestamp = packet.Timestamp + track.Sender.TimestampOffset;
        track.Sender.LastTimestamp = _currentTimestamp;

        if (track.Repacketizer is { } repacketizer)
        {
            CountDrop(repacketizer.Push(packet.Payload, packet.Marker, packet.Timestamp, this));
        }
        else
        {
            SendRtp(track, packet.Payload, packet.Marker, _currentTimestamp);
        }

        _meter.Latency.OnSent(packet.ArrivalTimestamp, _reader.QueueDrops);
    }

    private void CountDrop(RepacketizeResult result)
    {
        if (result != RepacketizeResult.Sent)
        {
            Interlocked.Increment(ref _malformedDropped);
            PacketDrops.Malformed.Inc();
        }
    }

    private void SendRtp(EgressTrack track, ReadOnlySpan<byte> payload, bool marker, uint timestamp)
    {
        SrtpContext? srtp = track.Transport.SendContext;
        SocketAddress? remote = track.Transport.RemoteAddress;
        if (srtp is null || remote is null)
        {
            // Its transport has no keys or address yet (another transport of the session connected first).
            return;
        }

        int length = RtpHeaderLength + payload.Length;
        Span<byte> rtp = _burst.Batch.Reserve();
        if (length + SrtpOverhead > rtp.Length)
        {
            PacketDrops.TooLarge.Inc();
            return;
        }

        ushort sequenceNumber = track.Sender.TakeSequenceNumber();
        rtp[0] = 0x80;
        rtp[1] = (byte)((marker ? 0x80 : 0) | track.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], track.Ssrc);
        payload.CopyTo(rtp[RtpHeaderLength..]);

        // The history copies the plain packet before SRTP encrypts the slot in place, so a NACK is
        // answered by encrypting that copy again in a fresh slot.
        track.History?.Store(sequenceNumber, rtp[..length]);
        track.Sender.OnSent(payload.Length);
        Transmit(rtp, length, srtp, remote);
    }

    /// <summary>Encrypts the RTP packet in the reserved slot <paramref name="slot"/> and queues it for <paramref name="remote"/>.</summary>
    private void Transmit(Span<byte> slot, int length, SrtpContext srtp, SocketAddress remote)
    {
        int protectedLength = srtp.ProtectRtp(slot, length);
        _burst.Batch.Commit(protectedLength, remote);
        _meter.OnSent(protectedLength);
    }

    internal void AnswerFeedback()
    {
        while (_nacks.TryDequeue(out NackRequest nack))
        {
            EgressTrack? track = FindBySsrc(nack.MediaSsrc);
            if (track?.History is { } history && history.TryGet(nack.SequenceNumber, out ReadOnlySpan<byte> rtp) &&
                track.Transport.SendContext is { } srtp && track.Transport.RemoteAddress is { } remote)
            {
                Span<byte> slot = _burst.Batch.Reserve();
                rtp.CopyTo(slot);
                Transmit(slot, rtp.Length, srtp, remote);
                _meter.OnRetransmitted();
            }
        }

        for (int requests = Interlocked.Exchange(ref _keyframeWanted, 0); requests > 0; requests--)
        {
            KeyframeRequestOutcome outcome = _keyframePolicy.Decide();
            _keyframeRequestOutcomes[(int)outcome].Inc();
            if (outcome == KeyframeRequestOutcome.Replayed)
            {
                // Answered from this session's own stream only: the reader replays its cached GOP.
                _reader.RequestKeyframe();
                Interlocked.Increment(ref _keyframeRequests);
            }
            else
            {
                Interlocked.Increment(ref _keyframeRequestsDeferred);
            }
        }
    }

    private EgressTrack? FindBySsrc(uint ssrc)
    {
        foreach (EgressTrack? track in _tracks)
        {
            if (track is not null && track.Ssrc == ssrc)
            {
                return track;
            }
        }

        return null;
    }

    internal void SendSenderReportsIfDue()
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastSenderReport < SenderReportInterval)
        {
            return;
        }

        _lastSenderReport = now;
        IReadOnlyList<MediaTrack> streamTracks = _reader.Stream.Tracks;
        for (int i = 0; i < _tracks.Length; i++)
        {
            EgressTrack? track = _tracks[i];
            if (track is null || track.Sender.PacketsSent == 0 ||
                track.Transport.SendContext is not { } srtp || track.Transport.RemoteAddress is not { } remote)
            {
                continue;
            }

            // A report with its CNAME and the SRTCP trailer is under 100 bytes: it fits any slot
            // (WebRtc:MaxPacketSize is at least 200).
            Span<byte> rtcp = _burst.Batch.Reserve();
            int length = track.Sender.WriteSenderReport(rtcp, streamTracks[i].LatestSenderReport);
            _burst.Batch.Commit(srtp.ProtectRtcp(rtcp, length), remote);
        }
    }
}
