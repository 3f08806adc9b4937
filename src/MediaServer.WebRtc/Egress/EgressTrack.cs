using System.Security.Cryptography;
using MediaServer.Core.Egress;
using MediaServer.Media.Formats;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// One negotiated track's sending state: the transport it goes out on, its RTP sender (SSRC,
/// sequence numbers, timestamp offset, counts for sender reports), the retransmission history and
/// the replay's pacing state.
/// </summary>
internal sealed class EgressTrack
{
    public EgressTrack(NegotiatedTrack negotiated, WebRtcPeerTransport transport, WebRtcOptions options, TrackRepacketizer? repacketizer)
    {
        Repacketizer = repacketizer;
        Negotiated = negotiated;
        Transport = transport;
        IsVideo = negotiated.Format.IsVideo;
        Sender = new RtpSender(negotiated.Ssrc, (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1));
        History = negotiated.Nack ? new RetransmissionHistory(options.RetransmissionHistoryPackets, options.MaxPacketSize) : null;

        // One millisecond of the track's clock: how far apart replayed frames are squeezed at least.
        CatchUpStep = (uint)Math.Max(1, negotiated.Format.ClockRate / 1000);
        ClockRate = negotiated.Format.ClockRate;
    }

    public NegotiatedTrack Negotiated { get; }

    public WebRtcPeerTransport Transport { get; }

    /// <summary>SSRC, sequence numbers, timestamp offset and counts of what the browser is sent on this track.</summary>
    public RtpSender Sender { get; }

    public uint Ssrc => Sender.Ssrc;

    public byte PayloadType => (byte)Negotiated.PayloadType;

    public bool IsVideo { get; }

    public CodecKind Codec => Negotiated.Format.Codec;

    public RetransmissionHistory? History { get; }

    /// <summary>Reshapes the camera's payloads for the browser (H.264, H.265); null when they pass through.</summary>
    public TrackRepacketizer? Repacketizer { get; }

    public uint CatchUpStep { get; }

    public int ClockRate { get; }

    public bool Started { get; set; }

    /// <summary>The publisher's timestamp of the last access unit sent.</summary>
    public uint LastSourceTimestamp { get; set; }

    /// <summary>
    /// Stopwatch ticks when the last replayed access unit went out, so the next one's timestamp
    /// follows the send pace; 0 at the start of a replay.
    /// </summary>
    public long LastReplayedAt { get; set; }
}
