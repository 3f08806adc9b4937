namespace MediaServer.Media.Formats.H265;

/// <summary>
/// The <see cref="NalUnitRepacketizer{TFormat}"/> for H.265 (RFC 7798): it cuts into FUs, opens
/// APs, and sends VPS, SPS and PPS as an AP before an IRAP picture that lacks them. Senders here
/// use sprop-max-don-diff=0, so no DONL/DOND fields appear in APs or FUs. One instance per track
/// and receiver.
/// </summary>
public sealed class H265Repacketizer(int maxPayloadSize) : NalUnitRepacketizer<H265PayloadFormat>(maxPayloadSize)
{
    /// <summary>Parameter sets to put in band when the stream does not (e.g. from the sprop-vps/sps/pps parameters).</summary>
    public void SetParameterSets(ReadOnlySpan<byte> vps, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        SetParameterSet(H265PayloadFormat.ParameterSetIndex(H265NalUnitType.Vps), vps);
        SetParameterSet(H265PayloadFormat.ParameterSetIndex(H265NalUnitType.Sps), sps);
        SetParameterSet(H265PayloadFormat.ParameterSetIndex(H265NalUnitType.Pps), pps);
    }
}
