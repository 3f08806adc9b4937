namespace MediaServer.Media.Formats;

/// <summary>What an H.264 or H.265 RTP payload is, as a depacketizer reads its header.</summary>
public enum NalPacketKind
{
    /// <summary>One whole NAL unit.</summary>
    Single,

    /// <summary>An aggregation packet (STAP-A, AP).</summary>
    Aggregation,

    /// <summary>A fragmentation unit (FU-A, FU).</summary>
    Fragment,

    /// <summary>A packetization this server does not take (STAP-B, MTAP, FU-B, PACI).</summary>
    Unsupported,

    /// <summary>A header that contradicts the format: the unit being reassembled is abandoned too.</summary>
    Malformed,

    /// <summary>No payload at all: dropped, and the unit being reassembled is left to the sequence check.</summary>
    Empty,
}
