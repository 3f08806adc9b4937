namespace MediaServer.Media.Formats;

/// <summary>What a depacketizer made of one RTP payload.</summary>
public enum DepacketizeResult
{
    Ok,

    /// <summary>A fragment continues a unit whose start was lost (or no unit is open): dropped.</summary>
    DroppedFragment,

    /// <summary>A sequence gap broke the unit being reassembled: the partial unit was dropped.</summary>
    DroppedIncompleteUnit,

    /// <summary>The reassembled unit would exceed the configured maximum: dropped.</summary>
    UnitTooLarge,

    /// <summary>A packetization this server does not take (STAP-B, MTAP, FU-B, DONL, PACI).</summary>
    Unsupported,

    /// <summary>The payload contradicts itself (lengths beyond its end, empty units, reserved types).</summary>
    Malformed,
}
