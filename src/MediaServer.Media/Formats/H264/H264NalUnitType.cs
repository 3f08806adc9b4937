namespace MediaServer.Media.Formats.H264;

/// <summary>
/// H.264 NAL unit types (ITU-T H.264 Table 7-1) and the RTP packet types RFC 6184 §5.2 adds in the
/// range the standard leaves unspecified.
/// </summary>
public static class H264NalUnitType
{
    /// <summary>Coded slice of a non-IDR picture.</summary>
    public const int NonIdrSlice = 1;

    /// <summary>Coded slice of an IDR picture: a decoder can start here.</summary>
    public const int IdrSlice = 5;

    /// <summary>Sequence parameter set.</summary>
    public const int Sps = 7;

    /// <summary>Picture parameter set.</summary>
    public const int Pps = 8;

    /// <summary>The highest type a single NAL unit packet carries (RFC 6184 §5.6).</summary>
    public const int LastSingleNalUnit = 23;

    /// <summary>Single-time aggregation packet (RFC 6184 §5.7.1).</summary>
    public const int StapA = 24;

    /// <summary>Single-time aggregation packet with decoding order numbers (RFC 6184 §5.7.1).</summary>
    public const int StapB = 25;

    /// <summary>Multi-time aggregation packet with 16-bit timestamp offsets (RFC 6184 §5.7.2).</summary>
    public const int Mtap16 = 26;

    /// <summary>Multi-time aggregation packet with 24-bit timestamp offsets (RFC 6184 §5.7.2).</summary>
    public const int Mtap24 = 27;

    /// <summary>Fragmentation unit without a decoding order number (RFC 6184 §5.8).</summary>
    public const int FuA = 28;

    /// <summary>Fragmentation unit with a decoding order number (RFC 6184 §5.8).</summary>
    public const int FuB = 29;

    /// <summary>The type field of a NAL unit header, or of an FU header: its low five bits.</summary>
    public static int Of(byte header) => header & 0x1F;
}
