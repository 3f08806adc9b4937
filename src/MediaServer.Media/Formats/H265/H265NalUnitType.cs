namespace MediaServer.Media.Formats.H265;

/// <summary>
/// H.265 NAL unit types (ITU-T H.265 Table 7-1) and the RTP packet types RFC 7798 §4.4 adds in the
/// range the standard leaves unspecified.
/// </summary>
public static class H265NalUnitType
{
    /// <summary>The last VCL type that is not an IRAP picture (TRAIL_N .. RASL_R): the only ones that can hold B slices.</summary>
    public const int LastNonIrapVcl = 9;

    /// <summary>The first IRAP picture type (BLA_W_LP); IRAP pictures run to <see cref="CraNut"/>.</summary>
    public const int BlaWLp = 16;

    /// <summary>The last IRAP picture type.</summary>
    public const int CraNut = 21;

    /// <summary>Video parameter set.</summary>
    public const int Vps = 32;

    /// <summary>Sequence parameter set.</summary>
    public const int Sps = 33;

    /// <summary>Picture parameter set.</summary>
    public const int Pps = 34;

    /// <summary>Aggregation packet (RFC 7798 §4.4.2).</summary>
    public const int Ap = 48;

    /// <summary>Fragmentation unit (RFC 7798 §4.4.3).</summary>
    public const int Fu = 49;

    /// <summary>PACI packet (RFC 7798 §4.4.4).</summary>
    public const int Paci = 50;

    /// <summary>The type field of a NAL unit header, given its first byte.</summary>
    public static int Of(byte firstHeaderByte) => (firstHeaderByte >> 1) & 0x3F;

    /// <summary>The type field of an FU header (RFC 7798 §4.4.3): its low six bits.</summary>
    public static int OfFuHeader(byte fuHeader) => fuHeader & 0x3F;
}
