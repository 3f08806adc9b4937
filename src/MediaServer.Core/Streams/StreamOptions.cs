using MediaServer.Core.Packets;

namespace MediaServer.Core.Streams;

/// <summary>Per-stream limits, bound from configuration section <c>Streams</c>.</summary>
public sealed class StreamOptions
{
    /// <summary>Packets a reader may have queued before it is dropped back to the next keyframe.</summary>
    public int ReaderQueuePackets { get; set; } = 4096;

    /// <summary>
    /// Bytes a reader may have queued before it is dropped back to the next keyframe. With packets
    /// of up to <see cref="MaxPacketBytes"/>, the packet count alone would let one slow reader pin
    /// hundreds of megabytes; this keeps each reader's share of memory bounded.
    /// </summary>
    public long ReaderQueueBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Seconds a reader may go without taking a single packet from its queue while packets for it
    /// are being dropped (it overflowed and has not even let go of its queue, see
    /// <see cref="MediaStreamReader.IsStalled"/>) before it is disconnected. A slow reader that
    /// takes packets between drops is not stalled. 0 disables the check.
    /// </summary>
    public int StalledReaderTimeoutSeconds { get; set; } = 20;

    /// <summary>Readers one path may have at once; one more is refused (RTSP 453, WHEP 503).</summary>
    public int MaxReadersPerPath { get; set; } = 4096;

    /// <summary>Paths that may be published at once; one more publisher is refused (RTSP 453).</summary>
    public int MaxPublishers { get; set; } = 1024;

    /// <summary>Bytes the segment cache (current GOP) may hold per stream.</summary>
    public long SegmentCacheBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Packets the segment cache may hold; kept below the reader queue so a GOP fits a new reader.</summary>
    public int SegmentCachePackets => Math.Max(1, ReaderQueuePackets * 3 / 4);

    /// <summary>
    /// Free packets the server's packet pool keeps for reuse (shared by all streams; beyond it,
    /// packets are allocated and left to the garbage collector). Small values make every buffer
    /// pass from stream to stream constantly, which the isolation tests use on purpose.
    /// </summary>
    public int PacketPoolSize { get; set; } = MediaPacketPool.DefaultSize;

    /// <summary>Largest RTP packet accepted from a publisher.</summary>
    public int MaxPacketBytes { get; set; } = 65535;
}
