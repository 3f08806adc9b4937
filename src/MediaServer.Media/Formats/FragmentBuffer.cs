namespace MediaServer.Media.Formats;

/// <summary>
/// Reassembly space for one fragmented unit, grown on demand and reused, so steady-state
/// depacketizing does not allocate. Tracks the sequence number expected next.
/// </summary>
internal sealed class FragmentBuffer(int maxSize)
{
    private byte[] _buffer = new byte[2048];

    public int Length { get; private set; }

    public bool IsOpen { get; private set; }

    public ushort NextSequenceNumber { get; private set; }

    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, Length);

    public bool Start(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, ushort sequenceNumber)
    {
        Length = 0;
        IsOpen = true;
        return Append(header, sequenceNumber) && Append(data, sequenceNumber);
    }

    public bool Continue(ReadOnlySpan<byte> data, ushort sequenceNumber) => Append(data, sequenceNumber);

    public void Reset()
    {
        IsOpen = false;
        Length = 0;
    }

    private bool Append(ReadOnlySpan<byte> data, ushort sequenceNumber)
    {
        if (Length + data.Length > maxSize)
        {
            Reset();
            return false;
        }

        if (Length + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(maxSize, Math.Max(_buffer.Length * 2, Length + data.Length)));
        }

        data.CopyTo(_buffer.AsSpan(Length));
        Length += data.Length;
        NextSequenceNumber = (ushort)(sequenceNumber + 1);
        return true;
    }
}
