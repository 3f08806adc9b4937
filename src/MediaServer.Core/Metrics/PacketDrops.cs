using Prometheus;

namespace MediaServer.Core.Metrics;

/// <summary>
/// Cached children of <c>mediaserver_dropped_packets_total</c>, one per reason, so counting a drop
/// never looks a label up.
/// </summary>
public static class PacketDrops
{
    /// <summary>Packets skipped while a reader that overflowed waits for the next keyframe.</summary>
    public static readonly Counter.Child LaggingReader = MetricsRegistry.DroppedPackets.WithLabels("lagging_reader");

    /// <summary>Packets in a reader's queue (and the one that did not fit) dropped when the queue overflowed.</summary>
    public static readonly Counter.Child QueueFull = MetricsRegistry.DroppedPackets.WithLabels("queue_full");

    /// <summary>Unparsable RTP from a publisher, or a payload egress could not repacketize.</summary>
    public static readonly Counter.Child Malformed = MetricsRegistry.DroppedPackets.WithLabels("malformed");

    /// <summary>A packet over Streams:MaxPacketBytes, or one that would not fit the egress packet size.</summary>
    public static readonly Counter.Child TooLarge = MetricsRegistry.DroppedPackets.WithLabels("too_large");

    /// <summary>A packet for a track or interleaved channel nobody set up (a client bug, or garbage).</summary>
    public static readonly Counter.Child UnknownTrack = MetricsRegistry.DroppedPackets.WithLabels("unknown_track");

    /// <summary>
    /// An interleaved frame on a channel whose session has ended (TEARDOWN, or closed by the server)
    /// while its connection lives on: RTP or RTCP the client had in flight. Expected, harmless.
    /// </summary>
    public static readonly Counter.Child SessionEnded = MetricsRegistry.DroppedPackets.WithLabels("session_ended");

    /// <summary>RTP a publisher sent on a track it set up, before RECORD started the publication.</summary>
    public static readonly Counter.Child BeforeRecord = MetricsRegistry.DroppedPackets.WithLabels("before_record");

    /// <summary>RTP on a publisher's track with another SSRC than the one the track locked on (invariant 7).</summary>
    public static readonly Counter.Child SsrcMismatch = MetricsRegistry.DroppedPackets.WithLabels("ssrc_mismatch");

    /// <summary>A UDP datagram the kernel refused: send buffer full, destination unreachable, or the socket closed.</summary>
    public static readonly Counter.Child SendFailed = MetricsRegistry.DroppedPackets.WithLabels("send_failed");
}
