namespace MediaServer.Media.Formats.H264;

/// <summary>
/// The <see cref="NalUnitDepacketizer{TFormat}"/> for H.264 (RFC 6184), packetization modes 0 and
/// 1: single NAL unit packets, STAP-A and FU-A. Interleaved mode (STAP-B, MTAP, FU-B) is refused.
/// </summary>
public sealed class H264Depacketizer(INalUnitSink sink, int maxNalUnitSize = 4 * 1024 * 1024)
    : NalUnitDepacketizer<H264PayloadFormat>(sink, maxNalUnitSize);
