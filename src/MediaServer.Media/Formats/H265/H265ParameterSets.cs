namespace MediaServer.Media.Formats.H265;

/// <summary>
/// VPS, SPS and PPS as carried in the SDP fmtp parameters <c>sprop-vps</c>, <c>sprop-sps</c> and
/// <c>sprop-pps</c> (RFC 7798 §7.1): each a comma-separated list of base64 NAL units.
/// </summary>
public static class H265ParameterSets
{
    public const string VpsParameter = "sprop-vps";
    public const string SpsParameter = "sprop-sps";
    public const string PpsParameter = "sprop-pps";

    /// <summary>Reads the three parameters from parsed fmtp (see <see cref="Sdp.FmtpParameters"/>).</summary>
    public static bool TryParseSprop(IReadOnlyDictionary<string, string> fmtp, out byte[]? vps, out byte[]? sps, out byte[]? pps)
    {
        fmtp.TryGetValue(VpsParameter, out string? vpsText);
        fmtp.TryGetValue(SpsParameter, out string? spsText);
        fmtp.TryGetValue(PpsParameter, out string? ppsText);
        return TryParseSprop(vpsText, spsText, ppsText, out vps, out sps, out pps);
    }

    /// <summary>
    /// The first NAL unit of the right type in each list; false unless all three are present,
    /// base64, and of the type their parameter names.
    /// </summary>
    public static bool TryParseSprop(string? spropVps, string? spropSps, string? spropPps, out byte[]? vps, out byte[]? sps, out byte[]? pps)
    {
        // '&' rather than '&&' so that every out parameter is assigned.
        bool ok = TryParseList(spropVps, H265NalUnitType.Vps, out vps)
            & TryParseList(spropSps, H265NalUnitType.Sps, out sps)
            & TryParseList(spropPps, H265NalUnitType.Pps, out pps);
        if (!ok)
        {
            vps = sps = pps = null;
        }

        return ok;
    }

    /// <summary>The fmtp fragment "sprop-vps=…;sprop-sps=…;sprop-pps=…" for these parameter sets.</summary>
    public static string FormatSprop(ReadOnlySpan<byte> vps, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) =>
        $"{VpsParameter}={Convert.ToBase64String(vps)};{SpsParameter}={Convert.ToBase64String(sps)};{PpsParameter}={Convert.ToBase64String(pps)}";

    private static bool TryParseList(string? list, int type, out byte[]? nalUnit)
    {
        nalUnit = null;
        if (string.IsNullOrWhiteSpace(list))
        {
            return false;
        }

        foreach (Range range in list.AsSpan().Split(','))
        {
            ReadOnlySpan<char> part = list.AsSpan(range).Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            // An H.265 NAL unit header is two bytes.
            if (!SpropBase64.TryDecode(part, out byte[]? nal) || nal!.Length < 2)
            {
                nalUnit = null;
                return false;
            }

            if (nalUnit is null && H265NalUnitType.Of(nal[0]) == type)
            {
                nalUnit = nal;
            }
        }

        return nalUnit is not null;
    }
}
