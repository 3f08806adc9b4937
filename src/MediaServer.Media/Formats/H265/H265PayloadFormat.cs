namespace MediaServer.Media.Formats.H265;

/// <summary>
/// The H.265 RTP payload format (RFC 7798) without DONL fields (sprop-max-don-diff = 0) as the
/// shared NAL-unit code sees it.
/// </summary>
public readonly struct H265PayloadFormat : INalPayloadFormat
{
    public static int HeaderSize => 2;

    /// <summary>The two-byte payload header and at least one byte of content.</summary>
    public static int MinimumPayloadSize => 3;

    public static int AggregationType => H265NalUnitType.Ap;

    public static int FragmentType => H265NalUnitType.Fu;

    public static int ParameterSetCount => 3;

    public static int TypeOf(byte firstHeaderByte) => H265NalUnitType.Of(firstHeaderByte);

    public static int TypeOfFragmentHeader(byte fragmentHeader) => H265NalUnitType.OfFuHeader(fragmentHeader);

    /// <summary>Keeps F and the top bit of nuh_layer_id; the second header byte is untouched.</summary>
    public static byte WithType(byte firstHeaderByte, int type) => (byte)((firstHeaderByte & 0x81) | (type << 1));

    public static bool IsSingleUnit(int type) => type < H265NalUnitType.Ap;

    public static bool IsRandomAccess(int type) => type is >= H265NalUnitType.BlaWLp and <= H265NalUnitType.CraNut;

    public static int ParameterSetIndex(int type) => type switch
    {
        H265NalUnitType.Vps => 0,
        H265NalUnitType.Sps => 1,
        H265NalUnitType.Pps => 2,
        _ => -1,
    };

    /// <summary>Layer 0 and temporal id 0 (nuh_temporal_id_plus1 = 1), where parameter sets live.</summary>
    public static void WriteParameterSetAggregationHeader(Span<byte> header, ReadOnlySpan<byte[]?> parameterSets)
    {
        header[0] = H265NalUnitType.Ap << 1;
        header[1] = 1;
    }

    /// <summary>F (forbidden_zero_bit) must be 0; PACI and the types RFC 7798 leaves unspecified are not errors, just not ours.</summary>
    public static NalPacketKind Classify(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < MinimumPayloadSize || (payload[0] & 0x80) != 0)
        {
            return NalPacketKind.Malformed;
        }

        return H265NalUnitType.Of(payload[0]) switch
        {
            H265NalUnitType.Fu => NalPacketKind.Fragment,
            H265NalUnitType.Ap => NalPacketKind.Aggregation,
            >= H265NalUnitType.Paci => NalPacketKind.Unsupported,
            _ => NalPacketKind.Single,
        };
    }
}
