namespace MediaServer.Media.Formats.H264;

/// <summary>
/// The <see cref="NalUnitRepacketizer{TFormat}"/> for H.264 (RFC 6184, packetization mode 1): it
/// cuts into FU-As, opens STAP-As, and sends SPS and PPS as a STAP-A before an IDR slice of an
/// access unit that lacks them. One instance per track and receiver.
/// </summary>
public sealed class H264Repacketizer(int maxPayloadSize) : NalUnitRepacketizer<H264PayloadFormat>(maxPayloadSize)
{
    /// <summary>Parameter sets to put in band when the stream does not (e.g. from sprop-parameter-sets).</summary>
    public void SetParameterSets(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        SetParameterSet(H264PayloadFormat.ParameterSetIndex(H264NalUnitType.Sps), sps);
        SetParameterSet(H264PayloadFormat.ParameterSetIndex(H264NalUnitType.Pps), pps);
    }
}
