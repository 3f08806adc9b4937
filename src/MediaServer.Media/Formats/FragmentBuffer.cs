namespace MediaServer.Media.Formats;

/// <summary>
/// Reassembly of one fragmented NAL unit (H.264 FU-A, H.265 FU) into space that is grown on demand
/// and then reused, so steady-state depacketizing does not allocate. A fragment is accepted only
/// if it carries the sequence number right after the previous one: RTP over UDP may lose or
/// reorder packets, and a NAL unit with a hole in it must not reach a decoder.
/// </summary>
internal sealed class FragmentBuffer(int maxSize)
{
    private const int InitialSize = 2048;

    private byte[] _buffer = new byte[Math.Min(InitialSize, Math.Max(maxSize, 1))];
    private ushort _nextSequenceNumber;

    public int Length { get; private set; }

    public bool IsOpen { get; private set; }

    /// <summary>The reassembled NAL unit, valid after <see cref="Add"/> reported it complete.</summary>
    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, Length);

    /// <summary>
    /// Adds one fragment. A start fragment opens a unit with the rebuilt <paramref name="nalHeader"/>;
    /// others continue the open unit. <paramref name="complete"/> is set when an end fragment closed
    /// the unit, which then stays in <see cref="Content"/> until the next call.
    /// </summary>
    public DepacketizeResult Add(ReadOnlySpan<byte> nalHeader, ReadOnlySpan<byte> data, bool start, bool end, ushort sequenceNumber, out bool complete)
    {
        complete = false;
        DepacketizeResult result = DepacketizeResult.Ok;
        if (start)
        {
            if (IsOpen)
            {
                // A new unit began before the open one ended: the open one lost its end.
                result = DepacketizeResult.DroppedIncompleteUnit;
            }

            Length = 0;
            IsOpen = true;
            if (!Append(nalHeader))
            {
                return DepacketizeResult.UnitTooLarge;
            }
        }
        else if (!IsOpen)
        {
            return DepacketizeResult.DroppedFragment;
        }
        else if (sequenceNumber != _nextSequenceNumber)
        {
            Reset();
            return DepacketizeResult.DroppedIncompleteUnit;
        }

        if (!Append(data))
        {
            return DepacketizeResult.UnitTooLarge;
        }

        _nextSequenceNumber = (ushort)(sequenceNumber + 1);
        if (end)
        {
            IsOpen = false;
            complete = true;
        }

        return result;
    }

    public void Reset()
    {
        IsOpen = false;
        Length = 0;
    }

    private bool Append(ReadOnlySpan<byte> data)
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
        return true;
    }
}
