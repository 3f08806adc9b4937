using System.Net.Sockets;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// One RTSP session: the tracks SETUP negotiated and, after RECORD or PLAY, the stream it
/// publishes or reads. It belongs to the connection that created it and is found only there.
/// </summary>
internal sealed class RtspSession
{
    private readonly uint _receiverSsrc = (uint)System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);
    private readonly byte[] _rtcpScratch = new byte[128];
    private long _lastActivity = Environment.TickCount64;
    private long _lastReceiverReport = Environment.TickCount64;
    private int _closed;
    private RtspEgress? _egress;

    // Totals of the egresses this session had before the current one (a reader may PAUSE and PLAY).
    private long _earlierPacketsSent;
    private long _earlierBytesSent;

    public RtspSession(string id, RtspConnection connection)
    {
        Id = id;
        Connection = connection;
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>RTP packets sent to this reader, read from its egress meters (no counting of its own).</summary>
    public long PacketsSent => Interlocked.Read(ref _earlierPacketsSent) + (Volatile.Read(ref _egress)?.Meter.PacketsSent ?? 0);

    /// <summary>RTP bytes (headers included) sent to this reader.</summary>
    public long BytesSent => Interlocked.Read(ref _earlierBytesSent) + (Volatile.Read(ref _egress)?.Meter.BytesSent ?? 0);

    public RtspConnection Connection { get; }

    public SessionMode Mode { get; set; } = SessionMode.Setup;

    /// <summary>The state <see cref="RtspSessionStateTable"/> checks each request against.</summary>
    public RtspSessionState State => Mode switch
    {
        SessionMode.Publish => RtspSessionState.Record,
        SessionMode.Read => RtspSessionState.Play,
        _ => IsPublisher ? RtspSessionState.PreRecord : RtspSessionState.PrePlay,
    };

    public SessionTransport Transport { get; set; }

    /// <summary>The stream this session publishes (after ANNOUNCE) or reads (after SETUP).</summary>
    public MediaStream? Stream { get; set; }

    public bool IsPublisher { get; set; }

    public StreamGrant Grant { get; set; }

    /// <summary>The principal that set the session up; requests from anyone else cannot use it (454).</summary>
    public Principal Owner { get; init; } = Principal.Anonymous;

    public SessionTrack?[] Tracks { get; set; } = [];

    /// <summary>The running egress of a reader; replacing it keeps what the previous one sent in the totals.</summary>
    public RtspEgress? Egress
    {
        get => Volatile.Read(ref _egress);
        set
        {
            RtspEgress? previous = Interlocked.Exchange(ref _egress, value);
            if (previous is not null && !ReferenceEquals(previous, value))
            {
                Interlocked.Add(ref _earlierPacketsSent, previous.Meter.PacketsSent);
                Interlocked.Add(ref _earlierBytesSent, previous.Meter.BytesSent);
            }
        }
    }

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public int SetUpTrackCount => Tracks.Count(t => t is not null);

    public RtspSessionInfo Snapshot() => new(
        Id,
        Connection.ConnectionId,
        Connection.RemoteEndPoint,
        Mode switch { SessionMode.Publish => "publish", SessionMode.Read => "read", _ => "setup" },
        Transport switch { SessionTransport.Interleaved => "tcp", SessionTransport.Udp => "udp", _ => "none" },
        Stream,
        Owner,
        CreatedAt,
        PacketsSent,
        BytesSent,
        Egress is { } egress ? JoinModeLabels.Of(egress.JoinMode) : null,
        Egress?.JoinLagMilliseconds,
        Egress?.Meter.ReportedCumulativeLost);

    public void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>An RTP packet from the publisher, over TCP or UDP.</summary>
    public void OnPublisherRtp(int trackIndex, ReadOnlySpan<byte> packet)
    {
        Touch();
        if (Mode == SessionMode.Publish)
        {
            Stream!.PublishRtp(trackIndex, packet);
        }
        else if (IsPublisher)
        {
            PacketDrops.BeforeRecord.Inc();
        }
    }

    /// <summary>RTCP from the client: sender reports of a publisher keep readers in sync.</summary>
    public void OnRtcp(int trackIndex, ReadOnlySpan<byte> compound)
    {
        Touch();
        if (!IsPublisher)
        {
            Egress?.OnReaderRtcp(trackIndex, compound);
            return;
        }

        if (Stream is null)
        {
            return;
        }

        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            // A sender report about another SSRC than the track's publisher describes no media of this stream.
            if (type == RtcpPacketType.SenderReport && RtcpSenderReport.TryParse(packet, out RtcpSenderReport report) &&
                Stream.Tracks[trackIndex].IsPublisherSsrc(report.Ssrc))
            {
                Stream.Tracks[trackIndex].OnSenderReport(
                    new SenderReportMapping(report.NtpTimestamp, report.RtpTimestamp, Environment.TickCount64));
            }
        }
    }

    /// <summary>
    /// Publisher's ingest thread only: calls <paramref name="send"/> with an RTCP receiver report
    /// (and CNAME) per track when the interval has passed, so cameras see their stream is received.
    /// </summary>
    public bool SendReceiverReportsIfDue(long intervalMs, Action<SessionTrack, ReadOnlySpan<byte>> send)
    {
        long now = Environment.TickCount64;
        if (!IsPublisher || Mode != SessionMode.Publish || now - _lastReceiverReport < intervalMs)
        {
            return false;
        }

        _lastReceiverReport = now;
        bool sent = false;
        foreach (SessionTrack? track in Tracks)
        {
            if (track is null)
            {
                continue;
            }

            MediaTrack streamTrack = Stream!.Tracks[track.TrackIndex];
            SenderReportMapping? lastSenderReport = streamTrack.LatestSenderReport;
            if (!streamTrack.Reception.TryCreateReportBlock(now, lastSenderReport?.NtpTimestamp ?? 0,
                    lastSenderReport?.ReceivedAt ?? 0, out RtcpReportBlock block))
            {
                continue;
            }

            int length = RtcpReceiverReport.Write(_rtcpScratch, _receiverSsrc, [block]);
            length += RtcpSourceDescription.WriteCname(_rtcpScratch.AsSpan(length), _receiverSsrc, "mediaserver");
            send(track, _rtcpScratch.AsSpan(0, length));
            sent = true;
        }

        return sent;
    }

    /// <summary>Gives back the client addresses this session's tracks claimed: they die with the session.</summary>
    private void ReleaseUdp(RtspUdpTransport udp)
    {
        foreach (SessionTrack? track in Tracks)
        {
            if (track?.RtpSink is { } rtp)
            {
                udp.Release(rtp);
            }

            if (track?.RtcpSink is { } rtcp)
            {
                udp.Release(rtcp);
            }
        }
    }

    public override string ToString() => $"RTSP session {Id} of {Owner.Name}";

    /// <summary>Ends the session: stops reading or unpublishes. Idempotent.</summary>
    public async ValueTask CloseAsync(StreamRegistry registry, RtspUdpTransport? udp)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (Egress is not null)
        {
            await Egress.StopAsync();
            Egress = null;
        }

        if (udp is not null)
        {
            ReleaseUdp(udp);
        }

        if (IsPublisher && Stream is not null)
        {
            registry.Unpublish(Stream);
        }
    }
}
