using System.Buffers.Binary;

namespace MediaServer.Media.Formats;

/// <summary>
/// Walks the aggregation units of an H.264 STAP-A (RFC 6184 §5.7.1) or H.265 AP (RFC 7798 §4.4.2):
/// each is a 16-bit NAL unit size followed by that many bytes. The caller passes the bytes after the
/// aggregation packet's own header. A size that runs past the payload, or one smaller than a NAL
/// unit header, stops the walk and sets <see cref="IsMalformed"/>; nothing is copied.
/// </summary>
internal ref struct AggregationUnitReader
{
    private readonly int _minimumUnitSize;
    private ReadOnlySpan<byte> _remaining;

    /// <param name="units">The aggregation units, without the STAP-A / AP header.</param>
    /// <param name="minimumUnitSize">The NAL unit header size: 1 for H.264, 2 for H.265.</param>
    public AggregationUnitReader(ReadOnlySpan<byte> units, int minimumUnitSize)
    {
        _remaining = units;
        _minimumUnitSize = minimumUnitSize;
    }

    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out ReadOnlySpan<byte> nalUnit)
    {
        nalUnit = default;
        if (_remaining.IsEmpty)
        {
            return false;
        }

        if (_remaining.Length < 2)
        {
            return Stop();
        }

        int size = BinaryPrimitives.ReadUInt16BigEndian(_remaining);
        if (size < _minimumUnitSize || 2 + size > _remaining.Length)
        {
            return Stop();
        }

        nalUnit = _remaining.Slice(2, size);
        _remaining = _remaining[(2 + size)..];
        return true;
    }

    /// <summary>True when every unit is well formed and there is at least one.</summary>
    public static bool IsValid(ReadOnlySpan<byte> units, int minimumUnitSize)
    {
        var reader = new AggregationUnitReader(units, minimumUnitSize);
        int count = 0;
        while (reader.TryReadNext(out _))
        {
            count++;
        }

        return count > 0 && !reader.IsMalformed;
    }

    private bool Stop()
    {
        IsMalformed = true;
        _remaining = default;
        return false;
    }
}
