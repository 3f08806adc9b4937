using System.Buffers.Binary;
using System.Globalization;

namespace MediaServer.Media.Formats.Aac;

/// <summary>
/// RFC 3640 (mpeg4-generic) as AAC-hbr and AAC-lbr use it: a 16-bit AU-headers-length in bits,
/// the AU-headers (AU-size, then AU-Index for the first and AU-Index-delta for the others), then
/// the access units back to back. Consecutive AUs in one packet are one frame apart in time.
/// Interleaving (a non-zero index or delta) is refused. A fragmented AU (one AU-header whose size
/// exceeds the packet, RFC 3640 §3.2.3) is reassembled by the overload that knows sequence numbers,
/// and refused by the one that does not. Never throws on what the network sends.
/// </summary>
public sealed class Mpeg4GenericDepacketizer(
    IAccessUnitSink sink,
    int sizeLength = 13,
    int indexLength = 3,
    int indexDeltaLength = 3,
    int samplesPerAccessUnit = 1024,
    int maxAccessUnitSize = 64 * 1024)
{
    private readonly FragmentBuffer _fragment = new(maxAccessUnitSize);
    private int _fragmentAccessUnitSize;
    private uint _fragmentTimestamp;
    private bool _discarding;

    /// <summary>
    /// A depacketizer for the AU-header layout this fmtp declares; false when sizelength is missing
    /// or out of range, or when the fmtp asks for AU-header fields or an auxiliary section this
    /// depacketizer does not read (CTS/DTS deltas, random access and stream state indications).
    /// </summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> fmtp, IAccessUnitSink sink, out Mpeg4GenericDepacketizer? d)
    {
        d = null;
        if (!TryGet(fmtp, "sizelength", out int size) || size is < 1 or > 16 ||
            !TryGet(fmtp, "indexlength", out int index, 0) || index is < 0 or > 8 ||
            !TryGet(fmtp, "indexdeltalength", out int delta, 0) || delta is < 0 or > 8 ||
            !TryGet(fmtp, "constantduration", out int duration, 1024) || duration is < 1 or > 65536)
        {
            return false;
        }

        foreach (string unsupported in (ReadOnlySpan<string>)["ctsdeltalength", "dtsdeltalength", "randomaccessindication", "streamstateindication", "auxiliarydatasizelength"])
        {
            if (!TryGet(fmtp, unsupported, out int value, 0) || value != 0)
            {
                return false;
            }
        }

        d = new Mpeg4GenericDepacketizer(sink, size, index, delta, duration);
        return true;
    }

    /// <summary>Takes one RTP payload of whole AUs; a fragmented AU is <see cref="DepacketizeResult.Unsupported"/>.</summary>
    public DepacketizeResult Push(ReadOnlySpan<byte> payload, uint timestamp)
    {
        DepacketizeResult result = ReadHeaders(payload, out int count, out int firstSize, out ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> data);
        if (result != DepacketizeResult.Ok)
        {
            return result;
        }

        return count == 1 && firstSize > data.Length ? DepacketizeResult.Unsupported : EmitAll(headers, data, count, timestamp);
    }

    /// <summary>
    /// Takes one RTP payload, reassembling an AU fragmented over consecutive packets of one
    /// timestamp. A missing fragment drops the AU.
    /// </summary>
    public DepacketizeResult Push(ReadOnlySpan<byte> payload, ushort sequenceNumber, uint timestamp, bool marker)
    {
        DepacketizeResult result = ReadHeaders(payload, out int count, out int firstSize, out ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> data);
        if (result != DepacketizeResult.Ok)
        {
            _fragment.Reset();
            return result;
        }

        if (count == 1 && firstSize > data.Length)
        {
            return AddFragment(firstSize, data, sequenceNumber, timestamp, marker);
        }

        bool abandoned = _fragment.IsOpen;
        _fragment.Reset();
        _discarding = false;
        result = EmitAll(headers, data, count, timestamp);
        return abandoned && result == DepacketizeResult.Ok ? DepacketizeResult.DroppedIncompleteUnit : result;
    }

    /// <summary>Forgets a half-reassembled AU, e.g. when the source restarts.</summary>
    public void Reset()
    {
        _fragment.Reset();
        _discarding = false;
    }

    private DepacketizeResult ReadHeaders(ReadOnlySpan<byte> payload, out int count, out int firstSize, out ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> data)
    {
        count = 0;
        firstSize = 0;
        headers = default;
        data = default;
        if (payload.Length < 2)
        {
            return DepacketizeResult.Malformed;
        }

        int headersBits = BinaryPrimitives.ReadUInt16BigEndian(payload);
        int headersBytes = (headersBits + 7) / 8;
        if (headersBits == 0 || 2 + headersBytes > payload.Length)
        {
            return DepacketizeResult.Malformed;
        }

        headers = payload.Slice(2, headersBytes);
        data = payload[(2 + headersBytes)..];

        // Validate every header first: an AU list that runs past the packet is a lie, unless it is
        // the single AU-header of a fragment.
        int bit = 0;
        long total = 0;
        while (bit < headersBits)
        {
            int indexBits = count == 0 ? indexLength : indexDeltaLength;
            if (bit + sizeLength + indexBits > headersBits)
            {
                return DepacketizeResult.Malformed;
            }

            int size = ReadBits(headers, bit, sizeLength);
            if (size == 0)
            {
                return DepacketizeResult.Malformed;
            }

            if (ReadBits(headers, bit + sizeLength, indexBits) != 0)
            {
                return DepacketizeResult.Unsupported; // interleaved AUs
            }

            firstSize = count == 0 ? size : firstSize;
            total += size;
            bit += sizeLength + indexBits;
            count++;
        }

        return count > 1 && total > data.Length ? DepacketizeResult.Malformed : DepacketizeResult.Ok;
    }

    private DepacketizeResult EmitAll(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> data, int count, uint timestamp)
    {
        int bit = 0;
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            int size = ReadBits(headers, bit, sizeLength);
            bit += sizeLength + (i == 0 ? indexLength : indexDeltaLength);
            sink.OnAccessUnit(data.Slice(offset, size), timestamp + (uint)(i * samplesPerAccessUnit));
            offset += size;
        }

        return DepacketizeResult.Ok;
    }

    private DepacketizeResult AddFragment(int accessUnitSize, ReadOnlySpan<byte> data, ushort sequenceNumber, uint timestamp, bool marker)
    {
        // RFC 3640 §3.2.3 has no start flag: every fragment repeats the whole AU's size and the
        // timestamp, so a fragment belongs to the open AU when both match, and starts one otherwise.
        bool sameUnit = (_fragment.IsOpen || _discarding) && timestamp == _fragmentTimestamp && accessUnitSize == _fragmentAccessUnitSize;
        if (_discarding && sameUnit)
        {
            // The rest of an AU already dropped; the marker bit is on its last fragment.
            _discarding = !marker;
            return DepacketizeResult.DroppedFragment;
        }

        _discarding = false;
        bool start = !sameUnit;
        bool end = !start && _fragment.Length + data.Length >= accessUnitSize;
        DepacketizeResult result = _fragment.Add([], data, start, end, sequenceNumber, out bool complete);
        _fragmentTimestamp = timestamp;
        _fragmentAccessUnitSize = accessUnitSize;
        if (result == DepacketizeResult.UnitTooLarge || (result == DepacketizeResult.DroppedIncompleteUnit && !start))
        {
            _discarding = !marker;
            return result;
        }

        if (!complete)
        {
            // The marker bit sits on the last fragment: if it comes before the AU is whole, the
            // stream was joined mid-AU or the sizes lie.
            if (marker)
            {
                _fragment.Reset();
                return DepacketizeResult.DroppedIncompleteUnit;
            }

            return result;
        }

        if (_fragment.Length != accessUnitSize)
        {
            return DepacketizeResult.Malformed;
        }

        sink.OnAccessUnit(_fragment.Content, timestamp);
        return result;
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
