namespace MediaServer.Media.Formats;

/// <summary>SPS and PPS as carried in SDP <c>sprop-parameter-sets</c> (RFC 6184 §8.1): base64, comma separated.</summary>
public static class H264ParameterSets
{
    public static bool TryParseSprop(string? spropParameterSets, out byte[]? sps, out byte[]? pps)
    {
        sps = null;
        pps = null;
        if (string.IsNullOrWhiteSpace(spropParameterSets))
        {
            return false;
        }

        foreach (string part in spropParameterSets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            byte[] nal;
            try
            {
                nal = Convert.FromBase64String(part);
            }
            catch (FormatException)
            {
                return false;
            }

            if (nal.Length == 0)
            {
                return false;
            }

            switch (nal[0] & 0x1F)
            {
                case 7:
                    sps ??= nal;
                    break;
                case 8:
                    pps ??= nal;
                    break;
            }
        }

        return sps is not null && pps is not null;
    }

    public static string FormatSprop(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) =>
        Convert.ToBase64String(sps) + "," + Convert.ToBase64String(pps);

    /// <summary>profile_idc, constraint flags and level_idc as the 6 hex digits of <c>profile-level-id</c>.</summary>
    public static bool TryGetProfileLevelId(ReadOnlySpan<byte> sps, out string profileLevelId)
    {
        profileLevelId = string.Empty;
        if (sps.Length < 4 || (sps[0] & 0x1F) != 7)
        {
            return false;
        }

        profileLevelId = Convert.ToHexStringLower(sps.Slice(1, 3));
        return true;
    }
}
