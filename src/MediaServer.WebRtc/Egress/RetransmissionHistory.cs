using System.Numerics;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// The last packets one session sent on one track, unencrypted, indexed by the sequence number the
/// browser saw, so a NACK (RFC 4585 §6.2.1) can be answered with the very same packet. Owned by the
/// session and filled only from what that session sent: a NACK can never fetch another stream's
/// data (DESIGN.md invariant 2). Single-threaded: only the session's egress loop touches it.
/// </summary>
internal sealed class RetransmissionHistory
{
    private readonly byte[] _buffer;
    private readonly int[] _lengths;
    private readonly ushort[] _sequenceNumbers;
    private readonly int _slotSize;

    public RetransmissionHistory(int capacity, int slotSize)
    {
        // A power of two keeps the slot an AND away from the sequence number.
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slotSize = slotSize;
        _buffer = new byte[slots * slotSize];
        _lengths = new int[slots];
        _sequenceNumbers = new ushort[slots];
    }

    public int Capacity => _lengths.Length;

    public void Store(ushort sequenceNumber, ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length > _slotSize)
        {
            return;
        }

        int slot = sequenceNumber & (_lengths.Length - 1);
        rtp.CopyTo(_buffer.AsSpan(slot * _slotSize, _slotSize));
        _lengths[slot] = rtp.Length;
        _sequenceNumbers[slot] = sequenceNumber;
    }

    /// <summary>The stored packet, or false when it was never sent or has been overwritten.</summary>
    public bool TryGet(ushort sequenceNumber, out ReadOnlySpan<byte> rtp)
    {
        int slot = sequenceNumber & (_lengths.Length - 1);
        if (_lengths[slot] == 0 || _sequenceNumbers[slot] != sequenceNumber)
        {
            rtp = default;
            return false;
        }

        rtp = _buffer.AsSpan(slot * _slotSize, _lengths[slot]);
        return true;
    }
}
