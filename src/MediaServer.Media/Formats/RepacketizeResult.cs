namespace MediaServer.Media.Formats;

/// <summary>What a repacketizer did with one incoming RTP payload.</summary>
public enum RepacketizeResult
{
    /// <summary>Sent on, as it was or split into smaller payloads.</summary>
    Sent,

    /// <summary>Truncated or inconsistent (an empty payload, an FU without its header, a broken aggregation).</summary>
    DroppedMalformed,

    /// <summary>A packetization the receiver did not negotiate (STAP-B, MTAP, FU-B, PACI).</summary>
    DroppedUnsupported,
}
