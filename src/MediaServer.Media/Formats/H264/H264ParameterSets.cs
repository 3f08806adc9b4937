namespace MediaServer.Media.Formats.H264;

/// <summary>SPS and PPS as carried in SDP <c>sprop-parameter-sets</c> (RFC 6184 §8.1): base64, comma separated.</summary>
public static class H264ParameterSets
{
    /// <summary>
    /// The first SPS and the first PPS in the list; false unless both are present and every
    /// element is base64. Other NAL unit types in the list (some encoders add SEI) are skipped.
    /// </summary>
    public static bool TryParseSprop(string? spropParameterSets, out byte[]? sps, out byte[]? pps)
    {
        sps = null;
        pps = null;
        if (string.IsNullOrWhiteSpace(spropParameterSets))
        {
            return false;
        }

        foreach (Range range in spropParameterSets.AsSpan().Split(','))
        {
            ReadOnlySpan<char> part = spropParameterSets.AsSpan(range).Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            if (!SpropBase64.TryDecode(part, out byte[]? nal))
            {
                sps = null;
                pps = null;
                return false;
            }

            switch (H264NalUnitType.Of(nal![0]))
            {
                case H264NalUnitType.Sps:
                    sps ??= nal;
                    break;
                case H264NalUnitType.Pps:
                    pps ??= nal;
                    break;
            }
        }

        return sps is not null && pps is not null;
    }

    public static string FormatSprop(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) =>
        Convert.ToBase64String(sps) + "," + Convert.ToBase64String(pps);
}
