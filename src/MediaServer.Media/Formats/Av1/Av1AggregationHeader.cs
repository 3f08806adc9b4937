namespace MediaServer.Media.Formats.Av1;

/// <summary>
/// The one-octet aggregation header of the AV1 RTP payload format (AOM "RTP Payload Format for
/// AV1" §4.4): Z, Y, W and N. Only N matters to a relay: it marks the first packet of a coded
/// video sequence, which begins with a key frame and its sequence header.
/// </summary>
public static class Av1AggregationHeader
{
    private const byte NewCodedVideoSequence = 0x08; // N

    public static bool StartsCodedVideoSequence(ReadOnlySpan<byte> payload) =>
        !payload.IsEmpty && (payload[0] & NewCodedVideoSequence) != 0;
}
