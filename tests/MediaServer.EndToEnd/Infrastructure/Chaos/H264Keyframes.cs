namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>Whether an H.264 RTP payload (RFC 6184) carries the start of an IDR picture, the one kind a decoder can start from.</summary>
internal static class H264Keyframes
{
    private const int Idr = 5;
    private const int StapA = 24;
    private const int FuA = 28;

    /// <summary>An IDR slice as a single unit or inside a STAP-A, or the first FU-A fragment of one.</summary>
    public static bool StartsIdr(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        switch (payload[0] & 0x1F)
        {
            case Idr:
                return true;
            case FuA:
                return payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == Idr;
            case StapA:
                for (int i = 1; i + 2 < payload.Length;)
                {
                    int size = (payload[i] << 8) | payload[i + 1];
                    if (size > 0 && (payload[i + 2] & 0x1F) == Idr)
                    {
                        return true;
                    }

                    i += 2 + size;
                }

                return false;
            default:
                return false;
        }
    }
}
