using System.Diagnostics;
using MediaServer.Core.Egress;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Sends one reader's packets to its player, run by an <see cref="EgressLoop{TSink}"/> (one per
/// reader): each packet is rewritten with the track's <see cref="RtpSender"/> so the player sees
/// one continuous RTP stream per track, the burst is written and flushed once, and sender reports
/// derived from the publisher's keep A/V sync.
/// A joining reader's replay of the cached GOP is given its own timeline (<see cref="JoinTimeline"/>)
/// and, over UDP, paced (<see cref="ReplayPacer"/>) so it fits the player's socket; live packets
/// after it are not paced.
/// </summary>
internal abstract class ReaderEgress
{
    private readonly long _senderReportInterval;
    private readonly byte[] _rtcpScratch = new byte[256];
    private readonly JoinTimeline _join;
    private readonly ReplayPacer? _pacer;
    private readonly EgressLoop<RtspEgressSink> _loop;
    private SessionTrack?[] _tracks = [];
    private long _lastSenderReport;
    private double _joinLagMilliseconds = double.NaN;

    protected ReaderEgress(RtspSession session, MediaStreamReader reader, EgressTransport transport, RtspOptions options, ILogger logger,
        JoinMode joinMode, bool paceReplay)
    {
        _join = new JoinTimeline(joinMode, reader.Stream.Tracks);
        _pacer = paceReplay ? new ReplayPacer(options.JoinReplayBytesPerSecond, options.JoinReplayBurstBytes) : null;
        Session = session;
        Reader = reader;
        Logger = logger;
        _senderReportInterval = (long)(options.SenderReportIntervalSeconds * 1000);
        Meter = EgressMeters.Open(reader.Stream.MetricsPath, transport, reader.Stream.Tracks.Count);
        _loop = new EgressLoop<RtspEgressSink>(reader, new RtspEgressSink(this));
        reader.OnStalled(OnStalled);
    }

    /// <summary>This reader's traffic and feedback counters, exported at scrape time.</summary>
    public EgressMeter Meter { get; }

    public JoinMode JoinMode => _join.Mode;

    /// <summary>The reader's lag to live at join in milliseconds (see <see cref="JoinTimeline.LagSeconds"/>), or null until known.</summary>
    public double? JoinLagMilliseconds
    {
        get
        {
            double lag = Volatile.Read(ref _joinLagMilliseconds);
            return double.IsNaN(lag) ? null : lag;
        }
    }

    protected RtspSession Session { get; }

    protected MediaStreamReader Reader { get; }

    protected ILogger Logger { get; }

    /// <summary>Completes when the loop ends: stopped, the stream ended, or the client is gone.</summary>
    public Task Completion => _loop.Completion;

    public void Start() => _loop.Start();

    public async ValueTask StopAsync()
    {
        await _loop.StopAsync();
        Meter.Dispose(); // also when the loop never started
    }

    /// <summary>RTCP from the player about <paramref name="trackIndex"/>: counted, not answered.</summary>
    public void OnReaderRtcp(int trackIndex, ReadOnlySpan<byte> compound)
    {
        IReadOnlyList<MediaTrack> tracks = Reader.Stream.Tracks;
        if ((uint)trackIndex < (uint)tracks.Count)
        {
            ReaderRtcpCounter.Count(compound, trackIndex, tracks[trackIndex].Format.ClockRate, Meter);
        }
    }

    /// <summary>Writes one RTP packet, rewritten for this reader; buffered until <see cref="FlushAsync"/>.</summary>
    protected abstract void Send(MediaPacket packet, SessionTrack track, uint timestamp);

    protected abstract void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track);

    /// <summary>Sends what the burst wrote; false when the client is gone.</summary>
    protected internal abstract ValueTask<bool> FlushAsync();

    /// <summary>Unblocks a write stuck on a client that stopped reading.</summary>
    protected internal virtual void Interrupt()
    {
    }

    /// <summary>Called when the stream ended or the client went away.</summary>
    protected abstract void OnEnded(bool streamEnded);

    /// <summary>The replay's pace is kept only while it runs (and only when this transport paces it).</summary>
    internal long TicksUntilReady(long now) => _pacer is not null && _join.Replaying ? _pacer.TicksUntilReady(now) : 0;

    /// <summary>The clock is read only while the join is in progress; a live reader's loop never does.</summary>
    internal bool NeedsClock => !_join.IsSettled || _join.Replaying;

    internal void BeginBurst() => _tracks = Session.Tracks;

    internal void OnLoopFailed(Exception exception) => Logger.LogWarning(exception, "Egress to session {SessionId} failed", Session.Id);

    internal void OnLoopExited()
    {
        Reader.Dispose();
        Meter.Dispose();
    }

    internal void OnLoopEnded(bool streamEnded)
    {
        // A stalled reader is completed too, but its disconnection is OnStalled's, with its reason.
        if (!Reader.IsStalled)
        {
            OnEnded(streamEnded);
        }
    }

    /// <summary>
    /// The reader was found stalled (thread pool): closes the client's connection. The loop may be
    /// blocked writing to that client and never see the reader complete, so this does not wait for it.
    /// </summary>
    protected virtual void Disconnect(string reason) => Session.Connection.RequestClose(reason);

    private void OnStalled(MediaStreamReader reader)
    {
        if (_loop.IsStopping)
        {
            return; // its session let it go meanwhile
        }

        double seconds = Math.Round(reader.StalledFor.TotalSeconds, 1);
        Logger.LogWarning("Reader of {Path} stalled for {StalledSeconds} s: disconnected (session {SessionId})",
            reader.Stream.Id.Path, seconds, Session.Id);
        Disconnect($"reader of {reader.Stream.Id.Path} stalled for {seconds} s");
    }

    /// <summary>Sends one packet on its track's timeline (<see cref="JoinTimeline"/>), unless the join leaves it out.</summary>
    internal void SendPacket(MediaPacket packet, long now)
    {
        SessionTrack?[] tracks = _tracks;
        SessionTrack? track = (uint)packet.TrackIndex < (uint)tracks.Length ? tracks[packet.TrackIndex] : null;
        if (track is not null && _join.TryMap(packet.TrackIndex, packet.Timestamp, packet.ArrivalTimestamp, now, out uint timestamp, out bool settled))
        {
            Send(packet, track, timestamp);
            Meter.OnSent(packet.Length);
            Meter.Latency.OnSent(packet.ArrivalTimestamp, Reader.QueueDrops);
            _pacer?.OnSent(packet.Length, now);
            track.Sender.LastTimestamp = timestamp;
            track.Sender.OnSent(packet.PayloadLength);
            if (settled)
            {
                OnJoinSettled();
            }
        }
    }

    private void OnJoinSettled()
    {
        double lag = _join.LagSeconds;
        Volatile.Write(ref _joinLagMilliseconds, Math.Round(lag * 1000, 1));
        MetricsRegistry.RtspJoinLag.WithLabels(JoinModeLabels.Of(_join.Mode)).Observe(Math.Max(0, lag));
        Logger.LogInformation(
            "Reader {SessionId} of {Path} joined ({JoinMode}): lag to live {JoinLagMs} ms after replaying {ReplayedPackets} cached packets in {ReplayMs} ms",
            Session.Id, Reader.Stream.Id.Path, JoinModeLabels.Of(_join.Mode), Math.Round(lag * 1000, 1), _join.ReplayedPackets,
            Math.Round(_join.ReplayTicks * 1000.0 / Stopwatch.Frequency, 1));
    }

    internal void SendSenderReportsIfDue()
    {
        if (!_join.IsSettled)
        {
            return; // the catch-up timeline is still moving: a report now would mislead the player's sync
        }

        long now = Environment.TickCount64;
        if (now - _lastSenderReport < _senderReportInterval)
        {
            return;
        }

        _lastSenderReport = now;
        IReadOnlyList<MediaTrack> streamTracks = Reader.Stream.Tracks;
        foreach (SessionTrack? track in _tracks)
        {
            if (track is null || track.Sender.PacketsSent == 0)
            {
                continue;
            }

            // The track's join offset is the same in seconds for every track, so the publisher's
            // NTP/RTP pair moved by it keeps A/V sync.
            track.Sender.TimestampOffset = _join.OffsetOf(track.TrackIndex);
            int length = track.Sender.WriteSenderReport(_rtcpScratch, streamTracks[track.TrackIndex].LatestSenderReport);
            SendRtcp(_rtcpScratch.AsSpan(0, length), track);
        }
    }
}
