using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Isolation;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Media.Formats;
using MediaServer.Media.Rtp;
using MediaServer.Media.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Streams;

/// <summary>
/// One published stream: a single publisher fans packets out to many readers without locks and
/// without ever waiting on a reader. Everything the stream knows (segment cache, reader queues)
/// hangs off this object, and each instance has a process-unique generation, so a packet can be
/// checked against exactly one publication of exactly one path.
/// </summary>
public sealed class MediaStream
{
    private const int GateOpen = 0;
    private const int GateBusy = 1;
    private const int GateClosed = 2;

    private static readonly AttributionConflicts SsrcConflicts = new(AttributionMap.PublisherSsrc);

    private static long s_lastGeneration;

    private readonly StreamOptions _options;
    private readonly MediaPacketPool _pool;
    private readonly PathLabels _pathLabels;
    private readonly SegmentCache _cache;
    private readonly ConcurrentQueue<MediaStreamReader> _pending = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _keyframeTrack;
    private readonly ILogger? _logger;
    private readonly TimeProvider _clock;
    private readonly long _stallTimeout; // in _clock ticks; 0: never give up on a reader
    private MediaStreamReader[] _readers = [];
    private int _readerCount;
    private int _gate;

    // Readers given packets while the publisher defers their wake-up; publisher-only.
    private MediaStreamReader[] _deferred = [];
    private int _deferredCount;
    private bool _deferWake;

    private Action? _keyframeRequester;

    private long _packetsIn;
    private long _bytesIn;
    private long _packetsRejected;
    private string? _metricsPath;

    /// <param name="pool">Where the stream's packets come from, and with them its isolation guard; a pool of its own when null.</param>
    /// <param name="clock">Read only to time readers that lag (see <see cref="StreamOptions.StalledReaderTimeoutSeconds"/>).</param>
    /// <param name="pathLabels">The host's metric path labels; a set of its own (default capacity) when null.</param>
    public MediaStream(StreamId id, SessionDescription description, StreamOptions options, MediaPacketPool? pool = null,
        ILogger? logger = null, TimeProvider? clock = null, PathLabels? pathLabels = null)
    {
        if (id.IsEmpty)
        {
            throw new ArgumentException("A stream needs a valid id.", nameof(id));
        }

        Id = id;
        _logger = logger;
        Generation = Interlocked.Increment(ref s_lastGeneration);
        Description = description;
        _options = options;
        _pool = pool ?? new MediaPacketPool();
        _pathLabels = pathLabels ?? new PathLabels(new MetricsOptions().MaxPathLabels);
        _clock = clock ?? TimeProvider.System;
        _stallTimeout = options.StalledReaderTimeoutSeconds * _clock.TimestampFrequency;

        var tracks = new MediaTrack[description.Media.Count];
        _keyframeTrack = -1;
        for (int i = 0; i < tracks.Length; i++)
        {
            tracks[i] = new MediaTrack(i, description.Media[i]);
            if (_keyframeTrack < 0 && tracks[i].HasKeyframes)
            {
                _keyframeTrack = i;
            }
        }

        Tracks = tracks;
        _cache = new SegmentCache(options.SegmentCachePackets, options.SegmentCacheBytes, _keyframeTrack,
            _keyframeTrack < 0 ? CodecKind.Unknown : tracks[_keyframeTrack].Format.Codec);
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public StreamId Id { get; }

    /// <summary>Unique in the process: a republished path is a new generation.</summary>
    public long Generation { get; }

    /// <summary>The publisher's session description.</summary>
    public SessionDescription Description { get; }

    public IReadOnlyList<MediaTrack> Tracks { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>How the stream is published, as metrics and hooks name it: <c>rtsp</c>, <c>webrtc</c> (WHIP), <c>rtsp-source</c> (pulled).</summary>
    public string Protocol { get; init; } = "rtsp";

    public int ReaderCount => Volatile.Read(ref _readerCount) + _pending.Count;

    public bool IsClosed => Volatile.Read(ref _gate) == GateClosed;

    /// <summary>Completes when the stream is closed (publisher left or was replaced).</summary>
    public Task Completion => _completion.Task;

    public long PacketsIn => Interlocked.Read(ref _packetsIn);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long PacketsRejected => Interlocked.Read(ref _packetsRejected);

    /// <summary>This stream's <c>path</c> label in metrics (capped, see <see cref="PathLabels"/>); taken on first use.</summary>
    public string MetricsPath => _metricsPath ??= _pathLabels.For(Id.Path);

    /// <summary>The guard this stream's readers check every packet with: its pool's.</summary>
    public IsolationGuard Guard => _pool.Guard;

    /// <summary>Packets currently held by the segment cache (diagnostics and tests).</summary>
    public int CachedPackets => _cache.Count;

    /// <summary>
    /// Adds a reader. The grant must have been issued for reading this very stream id
    /// (DESIGN.md invariant 6). The reader gets the cached GOP first, then live packets.
    /// </summary>
    /// <param name="waitForLiveKeyframe">
    /// Skip the cached GOP: the reader gets nothing until the publisher's next keyframe, so it starts
    /// live at the cost of waiting up to a GOP (readers of streams without keyframes start at once).
    /// </param>
    public MediaStreamReader Subscribe(StreamGrant grant, bool waitForLiveKeyframe = false)
    {
        if (!grant.Allows(Id, StreamAction.Read))
        {
            throw new UnauthorizedAccessException($"The grant does not allow reading stream '{Id}'.");
        }

        var reader = new MediaStreamReader(this, _options.ReaderQueuePackets, _options.ReaderQueueBytes)
        {
            WaitsForLiveKeyframe = waitForLiveKeyframe,
        };
        _pending.Enqueue(reader);
        if (IsClosed)
        {
            // Close may have emptied the pending queue before this reader arrived.
            CompletePending();
        }
        else
        {
            // Start it now if the publisher is idle, so it gets the cached GOP without waiting
            // for the next packet; if the publisher is busy, it picks the reader up itself.
            StartPendingIfIdle();
        }

        return reader;
    }

    /// <summary>
    /// <see cref="Subscribe"/> within <see cref="StreamOptions.MaxReadersPerPath"/>: false (and
    /// counted) when the path already has that many readers.
    /// </summary>
    public bool TrySubscribe(StreamGrant grant, [NotNullWhen(true)] out MediaStreamReader? reader, bool waitForLiveKeyframe = false)
    {
        if (ReaderCount >= _options.MaxReadersPerPath)
        {
            MetricsRegistry.LimitRejections.WithLabels("readers_per_path").Inc();
            reader = null;
            return false;
        }

        reader = Subscribe(grant, waitForLiveKeyframe);
        return true;
    }

    /// <summary>
    /// Set by a publisher that can make its source send a keyframe (WHIP: an RTCP PLI). It is
    /// called from any thread, at any rate (the publisher limits what it sends), when a reader
    /// needs a keyframe the cache cannot give: it joined with none cached, or lagged and waits.
    /// </summary>
    public void OnKeyframeNeeded(Action request) => Volatile.Write(ref _keyframeRequester, request);

    /// <summary>Asks the publisher for a keyframe, when it registered a way to (<see cref="OnKeyframeNeeded"/>).</summary>
    public void RequestPublisherKeyframe() => Volatile.Read(ref _keyframeRequester)?.Invoke();

    /// <summary>
    /// Publisher only: one RTP packet of one track. Invalid packets are dropped and counted.
    /// With <paramref name="deferWake"/> the readers it reaches are woken only by the next
    /// <see cref="WakeDeferredReaders"/>: a publisher that received a burst of packets in one read
    /// (a whole frame from a camera) wakes each reader once for the burst, so each reader's egress
    /// writes the burst with one send instead of one per packet.
    /// </summary>
    public PublishResult PublishRtp(int trackIndex, ReadOnlySpan<byte> rtp, bool deferWake = false)
    {
        if (!CanAccept(trackIndex, rtp.Length, out PublishResult refused))
        {
            return refused;
        }

        if (!EnterAsPublisher())
        {
            return PublishResult.StreamClosed;
        }

        MediaPacket packet = _pool.Rent(Id, Generation);
        rtp.CopyTo(packet.PrepareWrite(rtp.Length));
        return PublishAndExit(trackIndex, packet, deferWake);
    }

    /// <summary>The same for a packet that may span pipe segments (RTSP interleaved over TCP).</summary>
    public PublishResult PublishRtp(int trackIndex, in ReadOnlySequence<byte> rtp, bool deferWake = false)
    {
        if (!CanAccept(trackIndex, rtp.Length, out PublishResult refused))
        {
            return refused;
        }

        if (!EnterAsPublisher())
        {
            return PublishResult.StreamClosed;
        }

        MediaPacket packet = _pool.Rent(Id, Generation);
        rtp.CopyTo(packet.PrepareWrite((int)rtp.Length));
        return PublishAndExit(trackIndex, packet, deferWake);
    }

    /// <summary>
    /// Publisher only: wakes every reader that was given packets with <c>deferWake</c> since the
    /// last call. Touches only the publisher's own list, so it needs no gate; a reader that went
    /// away meanwhile is woken for nothing, which is harmless.
    /// </summary>
    public void WakeDeferredReaders()
    {
        MediaStreamReader[] deferred = _deferred;
        for (int i = 0; i < _deferredCount; i++)
        {
            MediaStreamReader reader = deferred[i];
            deferred[i] = null!;
            reader.WakeDeferred = false;
            reader.Signal();
        }

        _deferredCount = 0;
    }

    private bool CanAccept(int trackIndex, long length, out PublishResult refused)
    {
        refused = (uint)trackIndex >= (uint)Tracks.Count ? PublishResult.UnknownTrack
            : length > _options.MaxPacketBytes ? PublishResult.TooLarge
            : PublishResult.Published;
        if (refused == PublishResult.Published)
        {
            return true;
        }

        Interlocked.Increment(ref _packetsRejected);
        (refused == PublishResult.UnknownTrack ? PacketDrops.UnknownTrack : PacketDrops.TooLarge).Inc();
        return false;
    }

    // One publisher at a time, and never concurrently with Close: a single CAS, not a lock.
    private bool TryEnter() => Interlocked.CompareExchange(ref _gate, GateBusy, GateOpen) == GateOpen;

    /// <summary>
    /// The publisher's entry: false only once the stream is closed. The gate may be held for a
    /// moment by a control operation on another thread (a new reader taking the cached GOP, an
    /// idle stream letting a reader go); the publisher waits that moment out rather than drop
    /// the packet. Those sections are short and never wait on a reader.
    /// </summary>
    private bool EnterAsPublisher()
    {
        var spin = default(SpinWait);
        while (!TryEnter())
        {
            if (IsClosed)
            {
                return false;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        return true;
    }

    private PublishResult PublishAndExit(int trackIndex, MediaPacket packet, bool deferWake)
    {
        PublishResult result;
        try
        {
            _deferWake = deferWake;
            result = PublishUnderGate(trackIndex, packet);
        }
        finally
        {
            Volatile.Write(ref _gate, GateOpen);
        }

        // A reader that subscribed while this packet was in flight must not wait for the next one.
        if (!_pending.IsEmpty)
        {
            StartPendingIfIdle();
        }

        return result;
    }

    private PublishResult PublishUnderGate(int trackIndex, MediaPacket packet)
    {
        if (RtpHeader.TryParse(packet.Data, out RtpHeader header) != RtpParseError.None)
        {
            packet.Release();
            Interlocked.Increment(ref _packetsRejected);
            PacketDrops.Malformed.Inc();
            return PublishResult.MalformedRtp;
        }

        MediaTrack track = Tracks[trackIndex];
        if (!track.AcceptSsrc(header.Ssrc))
        {
            packet.Release();
            return RefuseForeignSsrc(track, header.Ssrc);
        }

        packet.TrackIndex = trackIndex;
        packet.SequenceNumber = header.SequenceNumber;
        packet.Timestamp = header.Timestamp;
        packet.Marker = header.Marker;
        packet.PayloadType = header.PayloadType;
        packet.HeaderLength = header.HeaderLength;
        packet.PayloadLength = header.PayloadLength;
        packet.ArrivalTimestamp = Stopwatch.GetTimestamp();
        track.Reception.OnPacket(header.Ssrc, header.SequenceNumber, header.Timestamp,
            (long)(packet.ArrivalTimestamp * ((double)track.Format.ClockRate / Stopwatch.Frequency)));

        if (track.DetectBFrames(packet.Payload))
        {
            _logger?.LogWarning(
                "Stream {Path} has B-frames (track {Track}, {Codec}): WebRTC viewers may stutter or freeze; configure the encoder without B-frames, e.g. -bf 0",
                Id.Path, track.Index, track.Format.EncodingName);
        }

        // New readers start first, from the cache as it stands, then get this packet live.
        ActivatePending();
        if (trackIndex == _keyframeTrack)
        {
            track.ParameterSets.Observe(track.Format.Codec, packet.Payload);
        }

        bool keyframeStarts = _cache.Add(packet);
        packet.IsRandomAccess = keyframeStarts || _keyframeTrack < 0;
        FanOut(packet, keyframeStarts);
        _cache.ReleaseKeyframeThatOutgrew();

        Volatile.Write(ref _packetsIn, _packetsIn + 1);
        Volatile.Write(ref _bytesIn, _bytesIn + packet.Length);
        packet.Release();
        return PublishResult.Published;
    }

    /// <summary>
    /// A packet on a track with an SSRC its first packet did not lock: attributed to this stream by
    /// its source, yet not this publisher's media. Dropped before it reaches a cache or a reader.
    /// </summary>
    private PublishResult RefuseForeignSsrc(MediaTrack track, uint ssrc)
    {
        Interlocked.Increment(ref _packetsRejected);
        PacketDrops.SsrcMismatch.Inc();
        if (SsrcConflicts.Count(out long more))
        {
            _logger?.LogWarning(
                "Attribution conflict in {Map}: track {Track} of {Path} is locked on SSRC {Locked:x8}; packets with SSRC {Ssrc:x8} are dropped (and {More} more refused in this map since the last line)",
                SsrcConflicts.Map, track.Index, Id.Path, track.PublisherSsrc, ssrc, more);
        }

        return PublishResult.SsrcMismatch;
    }

    /// <summary>Ends the stream: every reader completes, the cache is released. Idempotent.</summary>
    public void Close()
    {
        var spin = default(SpinWait);
        while (true)
        {
            int gate = Interlocked.CompareExchange(ref _gate, GateClosed, GateOpen);
            if (gate == GateClosed)
            {
                return;
            }

            if (gate == GateOpen)
            {
                break;
            }

            spin.SpinOnce();
        }

        MediaStreamReader[] readers = _readers;
        for (int i = 0; i < _readerCount; i++)
        {
            readers[i].Complete();
            readers[i].DetachFromPublisher();
            readers[i] = null!;
        }

        Volatile.Write(ref _readerCount, 0);
        CompletePending();
        _cache.Clear();

        // The gate is closed: no packet can be counted after this, so the totals are final.
        IngestMeters.Retire(this);
        _completion.TrySetResult();
    }

    private void StartPendingIfIdle()
    {
        while (!_pending.IsEmpty && TryEnter())
        {
            try
            {
                ActivatePending();
            }
            finally
            {
                Volatile.Write(ref _gate, GateOpen);
            }
        }
    }

    /// <summary>Publisher side (gate held): new readers get the cached GOP, or wait for a keyframe.</summary>
    private void ActivatePending()
    {
        while (_pending.TryDequeue(out MediaStreamReader? reader))
        {
            if (_readerCount == _readers.Length)
            {
                Array.Resize(ref _readers, Math.Max(4, _readers.Length * 2));
            }

            _readers[_readerCount] = reader;
            Volatile.Write(ref _readerCount, _readerCount + 1);
            if (_keyframeTrack < 0)
            {
                // Keyframes are not tracked (VP8, VP9, AV1): the reader's decoder needs one now.
                reader.State = ReaderState.Live;
                RequestPublisherKeyframe();
            }
            else if (!reader.WaitsForLiveKeyframe && _cache.StartsAtKeyframe && reader.OfferAll(_cache.Packets))
            {
                reader.State = ReaderState.Live;
                reader.Signal();
            }
            else
            {
                reader.State = ReaderState.AwaitingKeyframe;
                RequestPublisherKeyframe();
            }
        }
    }

    private void FanOut(MediaPacket packet, bool keyframeStarts)
    {
        MediaStreamReader[] readers = _readers;
        for (int i = 0; i < _readerCount; i++)
        {
            MediaStreamReader reader = readers[i];
            if (reader.IsDisposed)
            {
                RemoveReaderAt(i--);
                continue;
            }

            if (Deliver(reader, packet, keyframeStarts))
            {
                Wake(reader);
            }
        }
    }

    private void Wake(MediaStreamReader reader)
    {
        if (!_deferWake)
        {
            reader.Signal();
            return;
        }

        if (reader.WakeDeferred)
        {
            return;
        }

        if (_deferredCount == _deferred.Length)
        {
            // Grows with the reader count only, never per packet.
            Array.Resize(ref _deferred, Math.Max(4, _deferred.Length * 2));
        }

        reader.WakeDeferred = true;
        _deferred[_deferredCount++] = reader;
    }

    private bool Deliver(MediaStreamReader reader, MediaPacket packet, bool keyframeStarts)
    {
        switch (reader.State)
        {
            case ReaderState.Live:
                if (_keyframeTrack >= 0 && reader.TakeKeyframeRequest())
                {
                    // This packet is already the cache's last: the replay includes it.
                    reader.RestartAtCache();
                    return false;
                }

                reader.Offer(packet);
                return true;

            case ReaderState.Overflowed:
                if (!reader.TryCompleteOverflow())
                {
                    reader.CountDropped(1, PacketDrops.LaggingReader);
                    if (_stallTimeout > 0)
                    {
                        GiveUpIfStalled(reader);
                    }

                    return false;
                }

                reader.State = ReaderState.AwaitingKeyframe;
                RequestPublisherKeyframe();
                goto case ReaderState.AwaitingKeyframe;

            case ReaderState.AwaitingKeyframe:
                if (_keyframeTrack >= 0 && !keyframeStarts && !(reader.ResumeFromCache && _cache.StartsAtKeyframe))
                {
                    reader.CountDropped(1, PacketDrops.LaggingReader);
                    return false;
                }

                return StartAtCache(reader, packet);

            default:
                return false;
        }
    }

    /// <summary>
    /// A reader is stalled when packets for it are being dropped (its queue overflowed and it has
    /// not even let go of it yet) and it has taken no packet from its queue for longer than
    /// <see cref="StreamOptions.StalledReaderTimeoutSeconds"/>, counted from the first time it was
    /// seen lagging after its last progress. Only a packet its egress actually took is progress, so
    /// a slow reader that takes some between drops is never stalled; one that never reads would
    /// otherwise be held, with its queue and its client, forever. Checked only here, off the live
    /// path, so the clock is read only for readers that lag.
    /// </summary>
    private void GiveUpIfStalled(MediaStreamReader reader)
    {
        long stalled = reader.LaggingWithoutProgress(_clock.GetTimestamp());
        if (stalled <= _stallTimeout)
        {
            return;
        }

        MetricsRegistry.ReadersDisconnectedStalled.Inc();
        reader.CompleteAsStalled(TimeSpan.FromSeconds((double)stalled / _clock.TimestampFrequency));
    }

    /// <summary>Queues the cached GOP (which ends with this packet) or, with no keyframe track, the packet.</summary>
    private bool StartAtCache(MediaStreamReader reader, MediaPacket packet)
    {
        bool queued = _keyframeTrack < 0 ? reader.Offer(packet)
            : _cache.KeyframeOutgrewCache ? reader.OfferAll(_cache.Packets) && reader.Offer(packet)
            : reader.OfferAll(_cache.Packets);
        reader.State = queued ? ReaderState.Live : ReaderState.AwaitingKeyframe;
        reader.ResumeFromCache = false;
        return queued;
    }

    /// <summary>
    /// A reader let go. The publisher drops disposed readers as it fans out, but a stream with no
    /// packets flowing would keep them (and count them against <see cref="StreamOptions.MaxReadersPerPath"/>)
    /// until its next packet; when the publisher is idle, drop them now.
    /// </summary>
    internal void OnReaderDisposed()
    {
        if (!TryEnter())
        {
            return; // busy (it drops them itself) or closed (nothing left to drop)
        }

        try
        {
            MediaStreamReader[] readers = _readers;
            for (int i = 0; i < _readerCount; i++)
            {
                if (readers[i].IsDisposed)
                {
                    RemoveReaderAt(i--);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _gate, GateOpen);
        }

        if (!_pending.IsEmpty)
        {
            StartPendingIfIdle();
        }
    }

    private void RemoveReaderAt(int index)
    {
        MediaStreamReader reader = _readers[index];
        int last = _readerCount - 1;
        _readers[index] = _readers[last];
        _readers[last] = null!;
        Volatile.Write(ref _readerCount, last);
        reader.DetachFromPublisher();
    }

    private void CompletePending()
    {
        while (_pending.TryDequeue(out MediaStreamReader? reader))
        {
            reader.Complete();
            reader.DetachFromPublisher();
        }
    }
}
