namespace MediaServer.Media.Formats;

/// <summary>What a depacketizer made of one RTP payload.</summary>
public enum DepacketizeResult
{
    Ok,

    /// <summary>A fragment continues a unit whose start was lost (or no unit is open): dropped.</summary>
    DroppedFragment,

    /// <summary>
    /// A sequence gap, or a new unit starting before the open one ended, showed that the fragmented
    /// unit being reassembled lost a piece: the partial unit was dropped. When the cause was a new
    /// unit, that unit (this packet) was still processed.
    /// </summary>
    DroppedIncompleteUnit,

    /// <summary>The reassembled unit would exceed the configured maximum: dropped.</summary>
    UnitTooLarge,

    /// <summary>A packetization this server does not take (STAP-B, MTAP, FU-B, DONL, PACI, interleaved or fragmented AUs).</summary>
    Unsupported,

    /// <summary>The payload contradicts itself (lengths beyond its end, empty units, reserved types).</summary>
    Malformed,
}
