using System.Numerics;

namespace MediaServer.WebRtc.Egress;

/// <summary>
/// The last packets one session sent on one track, unencrypted, indexed by the sequence number the
/// browser saw, so a NACK (RFC 4585 §6.2.1) can be answered with the very same packet. Owned by the
/// session and filled only from what that session sent: a NACK can never fetch another stream's
/// data (DESIGN.md invariant 2). Single-threaded: only the session's egress loop touches it.
/// The slots are allocated on the first packet stored, so a viewer that has been sent nothing
/// (an idle path, a session still connecting) costs a few bytes, not the whole history.
/// </summary>
internal sealed class RetransmissionHistory
{
    private readonly int _slotSize;
    private readonly int _slots;
    private byte[] _buffer = [];
    private int[] _lengths = [];
    private ushort[] _sequenceNumbers = [];

    public RetransmissionHistory(int capacity, int slotSize)
    {
        // A power of two keeps the slot an AND away from the sequence number.
        _slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slotSize = slotSize;
    }

    public int Capacity => _slots;

    /// <summary>Bytes held now: 0 until the first packet is stored.</summary>
    public long AllocatedBytes => _buffer.Length + _lengths.Length * sizeof(int) + _sequenceNumbers.Length * sizeof(ushort);

    public void Store(ushort sequenceNumber, ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length > _slotSize)
        {
            return;
        }

        if (_lengths.Length == 0)
        {
            _buffer = new byte[_slots * _slotSize];
            _lengths = new int[_slots];
            _sequenceNumbers = new ushort[_slots];
        }

        int slot = sequenceNumber & (_slots - 1);
        rtp.CopyTo(_buffer.AsSpan(slot * _slotSize, _slotSize));
        _lengths[slot] = rtp.Length;
        _sequenceNumbers[slot] = sequenceNumber;
    }

    /// <summary>The stored packet, or false when it was never sent or has been overwritten.</summary>
    public bool TryGet(ushort sequenceNumber, out ReadOnlySpan<byte> rtp)
    {
        int slot = sequenceNumber & (_slots - 1);
        if (_lengths.Length == 0 || _lengths[slot] == 0 || _sequenceNumbers[slot] != sequenceNumber)
        {
            rtp = default;
            return false;
        }

        rtp = _buffer.AsSpan(slot * _slotSize, _lengths[slot]);
        return true;
    }
}
