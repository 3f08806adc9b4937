using System.Buffers.Binary;
using System.Globalization;

namespace MediaServer.Media.Formats.Aac;

/// <summary>
/// RFC 3640 (mpeg4-generic) in AAC-hbr/AAC-lbr mode: an AU-headers section whose length is in
/// bits, then the access units back to back. Each AU-header holds the AU size and an index (delta);
/// consecutive AUs in one packet are one frame (1024 samples) apart. Fragmented AUs are refused.
/// </summary>
public sealed class Mpeg4GenericDepacketizer(IAccessUnitSink sink, int sizeLength = 13, int indexLength = 3, int indexDeltaLength = 3)
{
    private const int SamplesPerFrame = 1024;

    public static bool TryCreate(IReadOnlyDictionary<string, string> fmtp, IAccessUnitSink sink, out Mpeg4GenericDepacketizer? depacketizer)
    {
        depacketizer = null;
        if (!TryGet(fmtp, "sizelength", out int size) || size is < 1 or > 16 ||
            !TryGet(fmtp, "indexlength", out int index, 0) || index is < 0 or > 8 ||
            !TryGet(fmtp, "indexdeltalength", out int delta, 0) || delta is < 0 or > 8)
        {
            return false;
        }

        depacketizer = new Mpeg4GenericDepacketizer(sink, size, index, delta);
        return true;
    }

    public DepacketizeResult Push(ReadOnlySpan<byte> payload, uint timestamp)
    {
        if (payload.Length < 2)
        {
            return DepacketizeResult.Malformed;
        }

        int headersBits = BinaryPrimitives.ReadUInt16BigEndian(payload);
        int headersBytes = (headersBits + 7) / 8;
        if (2 + headersBytes > payload.Length || headersBits == 0)
        {
            return DepacketizeResult.Malformed;
        }

        ReadOnlySpan<byte> headers = payload.Slice(2, headersBytes);
        ReadOnlySpan<byte> data = payload[(2 + headersBytes)..];

        // Validate first: an AU that runs past the packet means it is fragmented or lying.
        int bit = 0;
        int total = 0;
        int count = 0;
        while (bit < headersBits)
        {
            int headerBits = sizeLength + (count == 0 ? indexLength : indexDeltaLength);
            if (bit + headerBits > headersBits)
            {
                return DepacketizeResult.Malformed;
            }

            total += ReadBits(headers, bit, sizeLength);
            bit += headerBits;
            count++;
        }

        if (total > data.Length)
        {
            return count == 1 ? DepacketizeResult.Unsupported : DepacketizeResult.Malformed;
        }

        bit = 0;
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            int size = ReadBits(headers, bit, sizeLength);
            bit += sizeLength + (i == 0 ? indexLength : indexDeltaLength);
            sink.OnAccessUnit(data.Slice(offset, size), timestamp + (uint)(i * SamplesPerFrame));
            offset += size;
        }

        return DepacketizeResult.Ok;
    }

    private static int ReadBits(ReadOnlySpan<byte> data, int bitOffset, int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            int b = bitOffset + i;
            value = (value << 1) | ((data[b >> 3] >> (7 - (b & 7))) & 1);
        }

        return value;
    }

    private static bool TryGet(IReadOnlyDictionary<string, string> fmtp, string key, out int value, int? missing = null)
    {
        if (fmtp.TryGetValue(key, out string? text))
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        value = missing ?? 0;
        return missing.HasValue;
    }
}
