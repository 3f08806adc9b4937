using System.Security.Cryptography;
using MediaServer.Media.Formats;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// One negotiated track's sending state: the transport it goes out on, the SSRC, sequence numbers
/// and timestamp offset the browser sees, the retransmission history and the counters for sender
/// reports.
/// </summary>
internal sealed class EgressTrack
{
    public EgressTrack(NegotiatedTrack negotiated, WebRtcPeerTransport transport, WebRtcOptions options)
    {
        Negotiated = negotiated;
        Transport = transport;
        IsVideo = negotiated.Format.IsVideo;
        NextSequenceNumber = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        History = negotiated.Nack ? new RetransmissionHistory(options.RetransmissionHistoryPackets, options.MaxPacketSize) : null;

        // One millisecond of the track's clock: how far apart replayed frames are squeezed at least.
        CatchUpStep = (uint)Math.Max(1, negotiated.Format.ClockRate / 1000);
        ClockRate = negotiated.Format.ClockRate;
    }

    public NegotiatedTrack Negotiated { get; }

    public WebRtcPeerTransport Transport { get; }

    public uint Ssrc => Negotiated.Ssrc;

    public byte PayloadType => (byte)Negotiated.PayloadType;

    public bool IsVideo { get; }

    public CodecKind Codec => Negotiated.Format.Codec;

    public RetransmissionHistory? History { get; }

    public uint CatchUpStep { get; }

    public int ClockRate { get; }

    public ushort NextSequenceNumber { get; set; }

    /// <summary>Added to the publisher's RTP timestamp; changes only while replaying cached frames.</summary>
    public uint TimestampOffset { get; set; }

    public bool Started { get; set; }

    /// <summary>The publisher's timestamp of the last access unit sent.</summary>
    public uint LastSourceTimestamp { get; set; }

    /// <summary>The timestamp the browser saw last.</summary>
    public uint LastSentTimestamp { get; set; }

    /// <summary>
    /// Stopwatch ticks when the last replayed access unit went out, so the next one's timestamp
    /// follows the send pace; 0 at the start of a replay.
    /// </summary>
    public long LastReplayedAt { get; set; }

    public uint PacketsSent { get; set; }

    public uint OctetsSent { get; set; }
}
