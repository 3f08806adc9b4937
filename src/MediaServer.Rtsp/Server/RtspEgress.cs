using System.Diagnostics;
using MediaServer.Core.Egress;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Sends one reader's packets to its player, run by an <see cref="EgressLoop{TSink}"/> (one per
/// reader) whose sink writes through the session's transport (<see cref="RtspTcpSink"/> or
/// <see cref="RtspUdpSink"/>): each packet is rewritten with the track's <see cref="RtpSender"/> so
/// the player sees one continuous RTP stream per track, the burst is written and flushed once, and
/// sender reports derived from the publisher's keep A/V sync.
/// A joining reader's replay of the cached GOP is given its own timeline (<see cref="JoinTimeline"/>)
/// and, where the transport asks for it, paced (<see cref="ReplayPacer"/>) so it fits the player's
/// socket; live packets after it are not paced.
/// </summary>
internal sealed class RtspEgress
{
    private readonly long _senderReportInterval;
    private readonly byte[] _rtcpScratch = new byte[256];
    private readonly JoinTimeline _join;
    private readonly ReplayPacer? _pacer;
    private readonly RtspSession _session;
    private readonly MediaStreamReader _reader;
    private readonly ILogger _logger;
    private IEgressLoop _loop = null!; // set once by Create, which knows the transport's type
    private SessionTrack?[] _tracks = [];
    private long _lastSenderReport;
    private double _joinLagMilliseconds = double.NaN;

    private RtspEgress(RtspSession session, MediaStreamReader reader, EgressTransport transport, bool paceReplay, RtspOptions options, ILogger logger,
        JoinMode joinMode)
    {
        _join = new JoinTimeline(joinMode, reader.Stream.Tracks);
        _pacer = paceReplay ? new ReplayPacer(options.JoinReplayBytesPerSecond, options.JoinReplayBurstBytes) : null;
        _session = session;
        _reader = reader;
        _logger = logger;
        Transport = transport;
        _senderReportInterval = (long)(options.SenderReportIntervalSeconds * 1000);
        Meter = EgressMeters.Open(reader.Stream.MetricsPath, transport, reader.Stream.Tracks.Count);
    }

    /// <summary>The egress of <paramref name="reader"/> to <paramref name="session"/>'s player over <paramref name="transport"/>; not started.</summary>
    public static RtspEgress Create<TTransport>(RtspSession session, MediaStreamReader reader, TTransport transport, RtspOptions options, ILogger logger,
        JoinMode joinMode)
        where TTransport : struct, IRtspTransportSink
    {
        var egress = new RtspEgress(session, reader, TTransport.Label, TTransport.PacesReplay, options, logger, joinMode);
        egress._loop = new EgressLoop<RtspEgressSink<TTransport>>(reader, new RtspEgressSink<TTransport>(egress, transport));
        reader.OnStalled(stalled => egress.OnStalled(stalled, transport));
        return egress;
    }

    /// <summary>How the packets leave: interleaved in the RTSP connection, or over UDP.</summary>
    public EgressTransport Transport { get; }

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

    public void Start() => _loop.Start();

    public async ValueTask StopAsync()
    {
        await _loop.StopAsync();
        Meter.Dispose(); // also when the loop never started
    }

    /// <summary>RTCP from the player about <paramref name="trackIndex"/>: counted, not answered.</summary>
    public void OnReaderRtcp(int trackIndex, ReadOnlySpan<byte> compound)
    {
        IReadOnlyList<MediaTrack> tracks = _reader.Stream.Tracks;
        if ((uint)trackIndex < (uint)tracks.Count)
        {
            ReaderRtcpCounter.Count(compound, trackIndex, tracks[trackIndex].Format.ClockRate, Meter);
        }
    }

    /// <summary>The replay's pace is kept only while it runs (and only when this transport paces it).</summary>
    internal long TicksUntilReady(long now) => _pacer is not null && _join.Replaying ? _pacer.TicksUntilReady(now) : 0;

    /// <summary>The clock is read only while the join is in progress; a live reader's loop never does.</summary>
    internal bool NeedsClock => !_join.IsSettled || _join.Replaying;

    /// <summary>True once the reader was found stalled; its client is let go by <see cref="OnStalled"/>, not by the loop's end.</summary>
    internal bool IsStalled => _reader.IsStalled;

    internal void BeginBurst() => _tracks = _session.Tracks;

    internal void OnLoopFailed(Exception exception) => _logger.LogWarning(exception, "Egress to session {SessionId} failed", _session.Id);

    internal void OnLoopExited()
    {
        _reader.Dispose();
        Meter.Dispose();
    }

    /// <summary>
    /// The reader was found stalled (thread pool): lets the client go. The loop may be blocked
    /// writing to that client and never see the reader complete, so this does not wait for it.
    /// </summary>
    private void OnStalled<TTransport>(MediaStreamReader reader, TTransport transport)
        where TTransport : struct, IRtspTransportSink
    {
        if (_loop.IsStopping)
        {
            return; // its session let it go meanwhile
        }

        double seconds = Math.Round(reader.StalledFor.TotalSeconds, 1);
        _logger.LogWarning("Reader of {Path} stalled for {StalledSeconds} s: disconnected (session {SessionId})",
            reader.Stream.Id.Path, seconds, _session.Id);
        transport.Disconnect($"reader of {reader.Stream.Id.Path} stalled for {seconds} s");
    }

    /// <summary>Sends one packet on its track's timeline (<see cref="JoinTimeline"/>), unless the join leaves it out.</summary>
    internal void Send<TTransport>(MediaPacket packet, long now, ref TTransport transport)
        where TTransport : struct, IRtspTransportSink
    {
        SessionTrack?[] tracks = _tracks;
        SessionTrack? track = (uint)packet.TrackIndex < (uint)tracks.Length ? tracks[packet.TrackIndex] : null;
        if (track is not null && _join.TryMap(packet.TrackIndex, packet.Timestamp, packet.ArrivalTimestamp, now, out uint timestamp, out bool settled))
        {
            transport.SendRtp(track, packet.Data, timestamp);
            Meter.OnSent(packet.Length);
            Meter.Latency.OnSent(packet.ArrivalTimestamp, _reader.QueueDrops);
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
        _logger.LogInformation(
            "Reader {SessionId} of {Path} joined ({JoinMode}): lag to live {JoinLagMs} ms after replaying {ReplayedPackets} cached packets in {ReplayMs} ms",
            _session.Id, _reader.Stream.Id.Path, JoinModeLabels.Of(_join.Mode), Math.Round(lag * 1000, 1), _join.ReplayedPackets,
            Math.Round(_join.ReplayTicks * 1000.0 / Stopwatch.Frequency, 1));
    }

    internal void SendSenderReportsIfDue<TTransport>(ref TTransport transport)
        where TTransport : struct, IRtspTransportSink
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
        IReadOnlyList<MediaTrack> streamTracks = _reader.Stream.Tracks;
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
            transport.SendRtcp(track, _rtcpScratch.AsSpan(0, length));
        }
    }
}
