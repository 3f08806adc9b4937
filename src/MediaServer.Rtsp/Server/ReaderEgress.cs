using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Sends one reader's packets to its player. One loop per reader: wait for the ring, drain it,
/// rewrite SSRC and sequence numbers so the player sees one continuous RTP stream per track,
/// write the whole burst, flush once. Sender reports derived from the publisher's keep A/V sync.
/// </summary>
internal abstract class ReaderEgress
{
    private readonly long _senderReportInterval;
    private readonly byte[] _rtcpScratch = new byte[256];
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopping;
    private long _lastSenderReport;

    protected ReaderEgress(RtspSession session, MediaStreamReader reader, EgressTransport transport, RtspOptions options, ILogger logger)
    {
        Session = session;
        Reader = reader;
        Logger = logger;
        _senderReportInterval = (long)(options.SenderReportIntervalSeconds * 1000);
        Meter = EgressMeters.Open(reader.Stream.MetricsPath, transport, reader.Stream.Tracks.Count);
        reader.OnStalled(OnStalled);
    }

    /// <summary>This reader's traffic and feedback counters, exported at scrape time.</summary>
    public EgressMeter Meter { get; }

    protected RtspSession Session { get; }

    protected MediaStreamReader Reader { get; }

    protected ILogger Logger { get; }

    /// <summary>Completes when the loop ends: stopped, the stream ended, or the client is gone.</summary>
    public Task Completion => _loop;

    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask StopAsync()
    {
        _stopping = true;
        Reader.Wake();
        Interrupt();
        await _loop;
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
    protected abstract void Send(MediaPacket packet, SessionTrack track);

    protected abstract void SendRtcp(ReadOnlySpan<byte> compound, SessionTrack track);

    protected abstract ValueTask<bool> FlushAsync();

    /// <summary>Unblocks a write stuck on a client that stopped reading.</summary>
    protected virtual void Interrupt()
    {
    }

    /// <summary>Called when the stream ended or the client went away.</summary>
    protected abstract void OnEnded(bool streamEnded);

    /// <summary>
    /// The reader was found stalled (thread pool): closes the client's connection. The loop may be
    /// blocked writing to that client and never see the reader complete, so this does not wait for it.
    /// </summary>
    protected virtual void Disconnect(string reason) => Session.Connection.RequestClose(reason);

    private void OnStalled(MediaStreamReader reader)
    {
        if (_stopping)
        {
            return; // its session let it go meanwhile
        }

        double seconds = Math.Round(reader.StalledFor.TotalSeconds, 1);
        Logger.LogWarning("Reader of {Path} stalled for {StalledSeconds} s: disconnected (session {SessionId})",
            reader.Stream.Id.Path, seconds, Session.Id);
        Disconnect($"reader of {reader.Stream.Id.Path} stalled for {seconds} s");
    }

    private async Task RunAsync()
    {
        bool streamEnded = false;
        try
        {
            while (!_stopping)
            {
                await Reader.WaitAsync();
                if (_stopping)
                {
                    break;
                }

                bool completed = Reader.IsCompleted;
                SessionTrack?[] tracks = Session.Tracks;
                while (Reader.TryRead(out MediaPacket packet))
                {
                    SessionTrack? track = (uint)packet.TrackIndex < (uint)tracks.Length ? tracks[packet.TrackIndex] : null;
                    if (track is not null)
                    {
                        Send(packet, track);
                        Meter.OnSent(packet.Length);
                        Meter.Latency.OnSent(packet.ArrivalTimestamp, Reader.QueueDrops);
                        track.LastTimestamp = packet.Timestamp;
                        track.PacketsSent++;
                        track.OctetsSent += (uint)packet.PayloadLength;
                    }

                    packet.Release();
                }

                SendSenderReportsIfDue(tracks);
                if (!await FlushAsync())
                {
                    break;
                }

                if (completed)
                {
                    streamEnded = true;
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Egress to session {SessionId} failed", Session.Id);
        }
        finally
        {
            Reader.Dispose();
            Meter.Dispose();
        }

        // A stalled reader is completed too, but its disconnection is OnStalled's, with its reason.
        if (!_stopping && !Reader.IsStalled)
        {
            OnEnded(streamEnded);
        }
    }

    private void SendSenderReportsIfDue(SessionTrack?[] tracks)
    {
        long now = Environment.TickCount64;
        if (now - _lastSenderReport < _senderReportInterval)
        {
            return;
        }

        _lastSenderReport = now;
        IReadOnlyList<MediaTrack> streamTracks = Reader.Stream.Tracks;
        foreach (SessionTrack? track in tracks)
        {
            if (track is null || track.PacketsSent == 0)
            {
                continue;
            }

            // The publisher's NTP/RTP pair stays valid for our rewritten stream because RTP
            // timestamps pass through unchanged; without one, the wall clock stands in.
            SenderReportMapping? mapping = streamTracks[track.TrackIndex].LatestSenderReport;
            var report = new RtcpSenderReport(
                track.Ssrc,
                mapping?.NtpTimestamp ?? NtpTime.FromDateTime(DateTime.UtcNow),
                mapping?.RtpTimestamp ?? track.LastTimestamp,
                track.PacketsSent,
                track.OctetsSent);
            int length = report.WriteTo(_rtcpScratch);
            length += RtcpSourceDescription.WriteCname(_rtcpScratch.AsSpan(length), track.Ssrc, "mediaserver");
            SendRtcp(_rtcpScratch.AsSpan(0, length), track);
        }
    }
}
