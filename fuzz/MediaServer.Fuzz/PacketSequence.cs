namespace MediaServer.Fuzz;

/// <summary>
/// Reads one fuzz input as a run of RTP payloads, so depacketizer targets see sequences (with
/// losses, marker bits and timestamp changes) rather than a single packet. Each record is a
/// control byte, a length byte and that many payload bytes (fewer if the input ends first).
/// Control bit 0 is the marker, bit 1 skips a sequence number (a loss), bit 2 starts a new
/// timestamp. Every byte string is a valid sequence, which is what a fuzzer needs.
/// </summary>
public ref struct PacketSequence
{
    private ReadOnlySpan<byte> _remaining;
    private ushort _sequenceNumber;
    private uint _timestamp;

    public PacketSequence(ReadOnlySpan<byte> input)
    {
        _remaining = input;
        _sequenceNumber = 65530; // close to the wrap, so reassembly across 65535 -> 0 is exercised
        _timestamp = 3000;
    }

    public bool TryReadNext(out ReadOnlySpan<byte> payload, out ushort sequenceNumber, out uint timestamp, out bool marker)
    {
        payload = default;
        sequenceNumber = 0;
        timestamp = 0;
        marker = false;
        if (_remaining.Length < 2)
        {
            return false;
        }

        byte control = _remaining[0];
        int length = Math.Min(_remaining[1], _remaining.Length - 2);
        payload = _remaining.Slice(2, length);
        _remaining = _remaining[(2 + length)..];

        _sequenceNumber += (ushort)((control & 0x02) != 0 ? 2 : 1);
        if ((control & 0x04) != 0)
        {
            _timestamp += 3000;
        }

        sequenceNumber = _sequenceNumber;
        timestamp = _timestamp;
        marker = (control & 0x01) != 0;
        return true;
    }

    /// <summary>Encodes payloads in this format (for seeds); each payload must be at most 255 bytes.</summary>
    public static byte[] Encode(IEnumerable<(byte[] Payload, bool Marker, bool NewTimestamp)> packets)
    {
        var output = new List<byte>();
        foreach ((byte[] payload, bool marker, bool newTimestamp) in packets)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, 255);
            output.Add((byte)((marker ? 1 : 0) | (newTimestamp ? 4 : 0)));
            output.Add((byte)payload.Length);
            output.AddRange(payload);
        }

        return [.. output];
    }
}
