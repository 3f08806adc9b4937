namespace MediaServer.Media.Formats;

/// <summary>
/// Cuts one NAL unit body, or one fragment of it, into fragmentation units that fit a payload
/// size: H.264 FU-A (RFC 6184 §5.8, a one-byte FU indicator) and H.265 FU (RFC 7798 §4.4.3, a
/// two-byte payload header). Only the first piece of a starting fragment carries S, only the last
/// piece of an ending fragment carries E, and only that last piece may carry the RTP marker.
/// </summary>
internal static class FragmentWriter
{
    public static void Write(
        ReadOnlySpan<byte> payloadHeader,
        byte unitType,
        ReadOnlySpan<byte> body,
        bool start,
        bool end,
        bool marker,
        Span<byte> scratch,
        IRtpPayloadSink sink)
    {
        int overhead = payloadHeader.Length + 1;
        int chunk = scratch.Length - overhead;
        int pieces = Math.Max(1, (body.Length + chunk - 1) / chunk);
        for (int i = 0; i < pieces; i++)
        {
            bool first = i == 0;
            bool last = i == pieces - 1;
            ReadOnlySpan<byte> piece = body.Slice(i * chunk, Math.Min(chunk, body.Length - (i * chunk)));
            payloadHeader.CopyTo(scratch);
            scratch[payloadHeader.Length] = (byte)((start && first ? 0x80 : 0) | (end && last ? 0x40 : 0) | unitType);
            piece.CopyTo(scratch[overhead..]);
            sink.OnPayload(scratch[..(overhead + piece.Length)], marker && last);
        }
    }
}
