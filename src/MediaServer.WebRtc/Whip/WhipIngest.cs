using System.Buffers.Binary;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;
using MediaServer.Media.Rtp;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Srtp;
using Prometheus;

namespace MediaServer.WebRtc.Whip;

/// <summary>
/// The publishing side of a WHIP session: decrypted RTP is attributed to a track by its SSRC (the
/// one the offer announced, or learned from the track's payload type on its first packet) and
/// published to the session's stream; the stream itself locks each track's SSRC. Everything here
/// runs on the UDP receive thread, one datagram at a time, RTCP to the publisher included
/// (generic NACKs for gaps, PLIs when a reader needs a keyframe, receiver reports), so the SRTCP
/// context and the scratch buffer are never shared between threads.
/// </summary>
internal sealed class WhipIngest
{
    private const long ReceiverReportIntervalMs = 2000;
    private const long KeyframeRequestIntervalMs = 500;
    private const int MaxNackEntries = 64;

    private static readonly Counter.Child SrtpRejected = MetricsRegistry.DroppedPackets.WithLabels("srtp_rejected");
    private static readonly Counter.Child UnknownSsrc = MetricsRegistry.DroppedPackets.WithLabels("unknown_ssrc");
    private static readonly Counter.Child NackEntriesSent = MetricsRegistry.PublisherFeedbackSent.WithLabels("nack");
    private static readonly Counter.Child PictureLossesSent = MetricsRegistry.PublisherFeedbackSent.WithLabels("pli");

    private readonly NegotiatedTrack[] _tracks;
    private readonly uint[] _ssrcs;
    private readonly NackTracker?[] _nacks;
    private readonly uint _receiverSsrc = AnswerBuilder.RandomSsrc();
    private readonly byte[] _rtcp = new byte[1500];
    private readonly ushort[] _lost = new ushort[MaxNackEntries];
    private readonly long[] _lastReceiverReport; // per transport
    private readonly bool _takesPictureLoss;
    private long _lastKeyframeRequest = long.MinValue / 2;
    private int _keyframeWanted;
    private int _connected;
    private long _packetsReceived;
    private long _bytesReceived;
    private long _rejected;
    private long _nacksSent;
    private long _plisSent;

    public WhipIngest(MediaStream stream, IReadOnlyList<NegotiatedTrack> tracks)
    {
        Stream = stream;
        _tracks = [.. tracks];
        _ssrcs = new uint[_tracks.Length];
        _nacks = new NackTracker?[_tracks.Length];
        for (int i = 0; i < _tracks.Length; i++)
        {
            _ssrcs[i] = _tracks[i].Ssrc;
            _nacks[i] = _tracks[i].Nack ? new NackTracker() : null;
        }

        _lastReceiverReport = new long[_tracks.Max(t => t.TransportIndex) + 1];
        Array.Fill(_lastReceiverReport, Environment.TickCount64);
        _takesPictureLoss = _tracks.Any(t => t.Pli);
        stream.OnKeyframeNeeded(RequestKeyframe);
    }

    public MediaStream Stream { get; }

    public IReadOnlyList<NegotiatedTrack> Tracks => _tracks;

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>SRTP that failed authentication or replay checks, and RTP of no negotiated track.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Lost packets asked for again (NACK entries).</summary>
    public long NacksSent => Interlocked.Read(ref _nacksSent);

    public long PlisSent => Interlocked.Read(ref _plisSent);

    /// <summary>Runs once, when the first transport's DTLS handshake is done: media can flow from then on.</summary>
    public Action? Connected { get; set; }

    /// <summary>Whether a transport ever finished its handshake.</summary>
    public bool WasConnected => Volatile.Read(ref _connected) != 0;

    /// <summary>A transport's DTLS handshake is done: a PLI makes the publisher start with a keyframe now.</summary>
    public void OnConnected()
    {
        RequestKeyframe();
        if (Interlocked.Exchange(ref _connected, 1) == 0)
        {
            Connected?.Invoke();
        }
    }

    /// <summary>Any thread: a reader needs a keyframe; a PLI goes out with the next datagram, at most one per 500 ms.</summary>
    public void RequestKeyframe()
    {
        if (_takesPictureLoss)
        {
            Volatile.Write(ref _keyframeWanted, 1);
        }
    }

    /// <summary>UDP thread: an SRTP packet that did not pass its context (bad tag, replay): dropped and counted.</summary>
    public void OnRejectedSrtp()
    {
        Interlocked.Increment(ref _rejected);
        SrtpRejected.Inc();
    }

    /// <summary>UDP thread: one decrypted RTP packet from the publisher, on <paramref name="transport"/>.</summary>
    public void OnRtp(WebRtcPeerTransport transport, ReadOnlySpan<byte> rtp)
    {
        if (RtpHeader.TryParse(rtp, out RtpHeader header) != RtpParseError.None)
        {
            Interlocked.Increment(ref _rejected);
            PacketDrops.Malformed.Inc();
            return;
        }

        int track = FindTrack(transport.Index, header.Ssrc, header.PayloadType);
        if (track < 0)
        {
            Interlocked.Increment(ref _rejected);
            UnknownSsrc.Inc();
            return;
        }

        if (Stream.PublishRtp(track, rtp, deferWake: true) == PublishResult.Published)
        {
            Volatile.Write(ref _packetsReceived, _packetsReceived + 1);
            Volatile.Write(ref _bytesReceived, _bytesReceived + rtp.Length);
            _nacks[track]?.OnPacket(header.SequenceNumber, Environment.TickCount64);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
        }

        Stream.WakeDeferredReaders();
        SendFeedbackIfDue(transport, track);
    }

    /// <summary>UDP thread: a decrypted compound RTCP packet; sender reports keep readers' A/V in sync.</summary>
    public void OnRtcp(ReadOnlySpan<byte> compound)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            if (type != RtcpPacketType.SenderReport || !RtcpSenderReport.TryParse(packet, out RtcpSenderReport report))
            {
                continue;
            }

            int track = Array.IndexOf(_ssrcs, report.Ssrc);
            if (track >= 0 && Stream.Tracks[track].IsPublisherSsrc(report.Ssrc))
            {
                Stream.Tracks[track].OnSenderReport(new SenderReportMapping(report.NtpTimestamp, report.RtpTimestamp, Environment.TickCount64));
            }
        }
    }

    /// <summary>
    /// The track of the session's transport <paramref name="transportIndex"/> that sends with
    /// <paramref name="ssrc"/>; a track without a known SSRC takes it on its first packet of its
    /// payload type, if no other track has it.
    /// </summary>
    private int FindTrack(int transportIndex, uint ssrc, int payloadType)
    {
        for (int i = 0; i < _tracks.Length; i++)
        {
            if (_ssrcs[i] == ssrc && ssrc != 0 && _tracks[i].TransportIndex == transportIndex)
            {
                return i;
            }
        }

        for (int i = 0; i < _tracks.Length; i++)
        {
            if (_ssrcs[i] == 0 && _tracks[i].PayloadType == payloadType && _tracks[i].TransportIndex == transportIndex)
            {
                _ssrcs[i] = ssrc;
                return i;
            }
        }

        return -1;
    }

    private void SendFeedbackIfDue(WebRtcPeerTransport transport, int track)
    {
        long now = Environment.TickCount64;
        if (_nacks[track] is { MissingCount: > 0 } nacks)
        {
            int count = nacks.Collect(now, _lost);
            if (count > 0)
            {
                int length = RtcpReceiverReport.Write(_rtcp, _receiverSsrc, []);
                int nack = RtcpFeedbackWriter.WriteGenericNack(_rtcp.AsSpan(length), _receiverSsrc, _ssrcs[track], _lost.AsSpan(0, count));
                if (nack > 0 && Send(transport, length + nack))
                {
                    Interlocked.Add(ref _nacksSent, count);
                    NackEntriesSent.Inc(count);
                }
            }
        }

        if (Volatile.Read(ref _keyframeWanted) != 0 && now - _lastKeyframeRequest >= KeyframeRequestIntervalMs &&
            SendPictureLoss(transport))
        {
            _lastKeyframeRequest = now;
            Volatile.Write(ref _keyframeWanted, 0);
        }

        if (now - _lastReceiverReport[transport.Index] >= ReceiverReportIntervalMs)
        {
            _lastReceiverReport[transport.Index] = now;
            SendReceiverReports(transport, now);
        }
    }

    /// <summary>
    /// A PLI for every video track of <paramref name="transport"/> that takes PLIs; false (ask
    /// again with the next packet) when the transport has no such track (an unbundled session's
    /// audio transport: the video transport's next packet carries the request) or one has not
    /// shown its SSRC yet.
    /// </summary>
    private bool SendPictureLoss(WebRtcPeerTransport transport)
    {
        bool any = false;
        for (int i = 0; i < _tracks.Length; i++)
        {
            if (_tracks[i].Pli && _tracks[i].TransportIndex == transport.Index)
            {
                if (_ssrcs[i] == 0)
                {
                    return false;
                }

                any = true;
            }
        }

        if (!any)
        {
            return false;
        }

        for (int i = 0; i < _tracks.Length; i++)
        {
            if (!_tracks[i].Pli || _tracks[i].TransportIndex != transport.Index)
            {
                continue;
            }

            int length = RtcpReceiverReport.Write(_rtcp, _receiverSsrc, []);
            length += RtcpFeedbackWriter.WritePictureLoss(_rtcp.AsSpan(length), _receiverSsrc, _ssrcs[i]);
            if (Send(transport, length))
            {
                Interlocked.Increment(ref _plisSent);
                PictureLossesSent.Inc();
            }
        }

        return true;
    }

    private void SendReceiverReports(WebRtcPeerTransport transport, long now)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[Math.Min(_tracks.Length, RtcpReceiverReport.MaxReportBlocks)];
        int count = 0;
        for (int i = 0; i < _tracks.Length && count < blocks.Length; i++)
        {
            MediaTrack track = Stream.Tracks[i];
            SenderReportMapping? sr = track.LatestSenderReport;
            if (_tracks[i].TransportIndex == transport.Index &&
                track.Reception.TryCreateReportBlock(now, sr?.NtpTimestamp ?? 0, sr?.ReceivedAt ?? 0, out RtcpReportBlock block))
            {
                blocks[count++] = block;
            }
        }

        if (count > 0)
        {
            int length = RtcpReceiverReport.Write(_rtcp, _receiverSsrc, blocks[..count]);
            length += RtcpSourceDescription.WriteCname(_rtcp.AsSpan(length), _receiverSsrc, "mediaserver");
            Send(transport, length);
        }
    }

    private bool Send(WebRtcPeerTransport transport, int length)
    {
        SrtpContext? context = transport.SendContext;
        if (context is null || length + context.RtcpOverhead > _rtcp.Length)
        {
            return false;
        }

        int protectedLength = context.ProtectRtcp(_rtcp, length);
        transport.SendDatagram(_rtcp.AsSpan(0, protectedLength));
        return true;
    }
}
