namespace MediaServer.Media.Formats.Vp9;

/// <summary>
/// The first octets of the VP9 payload descriptor (RFC 9628 §4.2), read only to find where a
/// reader can start: the first packet of a picture that is not inter-picture predicted, in the
/// base spatial layer. Never throws on truncated input.
/// </summary>
public static class Vp9PayloadDescriptor
{
    private const byte PictureIdPresent = 0x80; // I
    private const byte InterPicturePredicted = 0x40; // P
    private const byte LayerIndicesPresent = 0x20; // L
    private const byte StartOfFrame = 0x08; // B
    private const byte LongPictureId = 0x80; // M

    public static bool IsKeyFrameStart(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        byte first = payload[0];
        if ((first & StartOfFrame) == 0 || (first & InterPicturePredicted) != 0)
        {
            return false;
        }

        if ((first & LayerIndicesPresent) == 0)
        {
            return true;
        }

        int offset = 1;
        if ((first & PictureIdPresent) != 0)
        {
            if (payload.Length <= offset)
            {
                return false;
            }

            offset += (payload[offset] & LongPictureId) != 0 ? 2 : 1;
        }

        // Layer indices: TID (3 bits), U, SID (3 bits), D. Higher spatial layers of a key picture
        // depend on the base layer, so only SID 0 is a place to start.
        return payload.Length > offset && ((payload[offset] >> 1) & 0x07) == 0;
    }
}
