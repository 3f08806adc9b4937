namespace MediaServer.Media.Formats;

/// <summary>
/// What sets one NAL-unit RTP payload format apart from another (H.264, RFC 6184; H.265, RFC 7798)
/// for the code they share: header sizes, where the type field sits, the aggregation and
/// fragmentation packet types, which pictures a decoder can start at, and which units are
/// parameter sets. Implemented by empty structs passed as a generic argument, so the JIT compiles
/// the shared code once per codec with these members inlined and no dispatch per packet.
/// </summary>
public interface INalPayloadFormat
{
    /// <summary>The NAL unit header size, which is also the RTP payload header size: 1 for H.264, 2 for H.265.</summary>
    static abstract int HeaderSize { get; }

    /// <summary>The shortest payload a repacketizer sends on.</summary>
    static abstract int MinimumPayloadSize { get; }

    /// <summary>The payload type of an aggregation packet (STAP-A, AP).</summary>
    static abstract int AggregationType { get; }

    /// <summary>The payload type of a fragmentation unit (FU-A, FU).</summary>
    static abstract int FragmentType { get; }

    /// <summary>How many parameter sets a decoder needs before a random access picture.</summary>
    static abstract int ParameterSetCount { get; }

    /// <summary>The type field of a NAL unit header or payload header, given its first byte.</summary>
    static abstract int TypeOf(byte firstHeaderByte);

    /// <summary>The type of the fragmented unit, read from an FU header.</summary>
    static abstract int TypeOfFragmentHeader(byte fragmentHeader);

    /// <summary>The first header byte with its type field replaced and every other field kept.</summary>
    static abstract byte WithType(byte firstHeaderByte, int type);

    /// <summary>True for the types a single NAL unit packet carries, which are also the types a fragment may carry.</summary>
    static abstract bool IsSingleUnit(int type);

    /// <summary>True for the slices of a picture a decoder can start at (an IDR or IRAP picture).</summary>
    static abstract bool IsRandomAccess(int type);

    /// <summary>The parameter set's position among <see cref="ParameterSetCount"/>, in the order they are sent, or -1.</summary>
    static abstract int ParameterSetIndex(int type);

    /// <summary>
    /// Writes the <see cref="HeaderSize"/>-byte header of an aggregation packet carrying
    /// <paramref name="parameterSets"/>, all of which are present.
    /// </summary>
    static abstract void WriteParameterSetAggregationHeader(Span<byte> header, ReadOnlySpan<byte[]?> parameterSets);

    /// <summary>How a depacketizer treats this payload, judged from its header.</summary>
    static abstract NalPacketKind Classify(ReadOnlySpan<byte> payload);
}
