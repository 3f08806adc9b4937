namespace MediaServer.Media.Formats.H264;

/// <summary>The H.264 RTP payload format (RFC 6184, packetization modes 0 and 1) as the shared NAL-unit code sees it.</summary>
public readonly struct H264PayloadFormat : INalPayloadFormat
{
    private const int NalRefIdc = 0x60;

    public static int HeaderSize => 1;

    /// <summary>A bare NAL unit header is sent on: end-of-sequence and end-of-stream units have nothing after it.</summary>
    public static int MinimumPayloadSize => 1;

    public static int AggregationType => H264NalUnitType.StapA;

    public static int FragmentType => H264NalUnitType.FuA;

    public static int ParameterSetCount => 2;

    public static int TypeOf(byte firstHeaderByte) => H264NalUnitType.Of(firstHeaderByte);

    public static int TypeOfFragmentHeader(byte fragmentHeader) => H264NalUnitType.Of(fragmentHeader);

    public static byte WithType(byte firstHeaderByte, int type) => (byte)((firstHeaderByte & 0xE0) | type);

    public static bool IsSingleUnit(int type) => type is >= H264NalUnitType.NonIdrSlice and <= H264NalUnitType.LastSingleNalUnit;

    public static bool IsRandomAccess(int type) => type == H264NalUnitType.IdrSlice;

    public static int ParameterSetIndex(int type) => type switch
    {
        H264NalUnitType.Sps => 0,
        H264NalUnitType.Pps => 1,
        _ => -1,
    };

    /// <summary>A STAP-A's nal_ref_idc is the highest of its units' (RFC 6184 §5.7).</summary>
    public static void WriteParameterSetAggregationHeader(Span<byte> header, ReadOnlySpan<byte[]?> parameterSets)
    {
        int nalRefIdc = 0;
        foreach (byte[]? set in parameterSets)
        {
            nalRefIdc = Math.Max(nalRefIdc, set![0] & NalRefIdc);
        }

        header[0] = (byte)(nalRefIdc | H264NalUnitType.StapA);
    }

    public static NalPacketKind Classify(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return NalPacketKind.Empty;
        }

        return H264NalUnitType.Of(payload[0]) switch
        {
            H264NalUnitType.FuA => NalPacketKind.Fragment,
            H264NalUnitType.StapA => NalPacketKind.Aggregation,
            H264NalUnitType.StapB or H264NalUnitType.Mtap16 or H264NalUnitType.Mtap24 or H264NalUnitType.FuB => NalPacketKind.Unsupported,
            // 0, 30 and 31 are left unspecified by H.264 and RFC 6184 alike.
            0 or 30 or 31 => NalPacketKind.Malformed,
            _ => NalPacketKind.Single,
        };
    }
}
