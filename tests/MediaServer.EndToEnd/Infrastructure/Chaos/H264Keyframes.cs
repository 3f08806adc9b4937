namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>Whether an H.264 RTP payload (RFC 6184) begins a picture a decoder can start from.</summary>
internal static class H264Keyframes
{
    private const int Idr = 5;
    private const int Sps = 7;
    private const int Pps = 8;
    private const int StapA = 24;
    private const int FuA = 28;

    /// <summary>An IDR slice or parameter sets (which precede one) as a single unit, in a STAP-A, or the first FU-A fragment of an IDR.</summary>
    public static bool StartsKeyframe(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        int type = payload[0] & 0x1F;
        return type switch
        {
            Idr or Sps or Pps => true,
            StapA => payload.Length > 3 && (payload[3] & 0x1F) is Idr or Sps or Pps,
            FuA => payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == Idr,
            _ => false,
        };
    }
}
