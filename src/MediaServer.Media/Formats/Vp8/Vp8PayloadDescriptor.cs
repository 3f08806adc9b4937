namespace MediaServer.Media.Formats.Vp8;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2) read only as far as a relay needs: where the VP8
/// payload starts, and whether this packet begins a key frame. Never throws on truncated input.
/// </summary>
public static class Vp8PayloadDescriptor
{
    private const byte ExtendedControlBits = 0x80; // X
    private const byte StartOfPartition = 0x10; // S
    private const byte PartitionIndex = 0x07; // PID
    private const byte PictureIdPresent = 0x80; // I
    private const byte Tl0PicIdxPresent = 0x40; // L
    private const byte TidPresent = 0x20; // T
    private const byte KeyIdxPresent = 0x10; // K
    private const byte LongPictureId = 0x80; // M

    /// <summary>The length of the payload descriptor, or -1 when the payload is too short to hold it.</summary>
    public static int GetLength(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return -1;
        }

        int length = 1;
        if ((payload[0] & ExtendedControlBits) != 0)
        {
            if (payload.Length < 2)
            {
                return -1;
            }

            byte extension = payload[1];
            length = 2;
            if ((extension & PictureIdPresent) != 0)
            {
                if (payload.Length <= length)
                {
                    return -1;
                }

                length += (payload[length] & LongPictureId) != 0 ? 2 : 1;
            }

            if ((extension & Tl0PicIdxPresent) != 0)
            {
                length++;
            }

            // T and K share one octet (TID, Y, KEYIDX).
            if ((extension & (TidPresent | KeyIdxPresent)) != 0)
            {
                length++;
            }
        }

        return length <= payload.Length ? length : -1;
    }

    /// <summary>
    /// True when the packet starts partition 0 of a key frame: S set, PID 0, and the VP8 payload
    /// header's inverse key frame flag P (RFC 7741 §4.3) clear.
    /// </summary>
    public static bool IsKeyFrameStart(ReadOnlySpan<byte> payload)
    {
        int length = GetLength(payload);
        if (length < 0 || length >= payload.Length)
        {
            return false;
        }

        bool startsPartitionZero = (payload[0] & StartOfPartition) != 0 && (payload[0] & PartitionIndex) == 0;
        return startsPartitionZero && (payload[length] & 0x01) == 0;
    }
}
