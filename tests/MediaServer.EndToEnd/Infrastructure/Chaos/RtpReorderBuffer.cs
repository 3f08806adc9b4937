using System.Buffers.Binary;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// A viewer's jitter buffer, as small as it can be: RTP packets go out in sequence order; late and
/// duplicate ones are dropped; a hole is reported once (to NACK) and waited for while fewer than
/// <see cref="MaxHeld"/> packets queue behind it, then skipped (to PLI). One caller at a time.
/// </summary>
internal sealed class RtpReorderBuffer(Action<ReadOnlyMemory<byte>> emit, Action<ushort, int> missing, Action skipped)
{
    private const int Window = 64;
    private const int MaxHeld = 24;

    private readonly byte[]?[] _slots = new byte[Window][];
    private readonly int[] _lengths = new int[Window];
    private bool _started;
    private ushort _expected;
    private ushort _highest;
    private int _held;

    public long Late { get; private set; }

    public long Skipped { get; private set; }

    public void Push(ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < 12)
        {
            return;
        }

        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);
        if (!_started)
        {
            _started = true;
            _expected = sequence;
            _highest = (ushort)(sequence - 1);
        }

        int ahead = (short)(sequence - _expected);
        if (ahead < 0)
        {
            Late++;
            return;
        }

        if (ahead >= Window)
        {
            // Far ahead (a long outage or a restart): give up on everything before it.
            SkipTo(sequence);
            ahead = 0;
        }

        int newHoles = (short)(sequence - _highest) - 1;
        if (newHoles > 0)
        {
            missing((ushort)(_highest + 1), newHoles);
        }

        if ((short)(sequence - _highest) > 0)
        {
            _highest = sequence;
        }

        int slot = sequence % Window;
        if (_slots[slot] is not null)
        {
            return; // duplicate
        }

        byte[] copy = _slots[slot] = new byte[rtp.Length];
        rtp.CopyTo(copy);
        _lengths[slot] = rtp.Length;
        _held++;
        Release();
        if (_held >= MaxHeld)
        {
            // The hole is not coming back: move past it to the next packet we have.
            Skipped++;
            skipped();
            while (_slots[_expected % Window] is null)
            {
                _expected++;
            }

            Release();
        }
    }

    private void Release()
    {
        while (_slots[_expected % Window] is { } packet)
        {
            int slot = _expected % Window;
            _slots[slot] = null;
            _held--;
            _expected++;
            emit(packet.AsMemory(0, _lengths[slot]));
        }
    }

    private void SkipTo(ushort sequence)
    {
        while (_held > 0 && _expected != sequence)
        {
            if (_slots[_expected % Window] is { } packet)
            {
                _slots[_expected % Window] = null;
                _held--;
                emit(packet.AsMemory(0, _lengths[_expected % Window]));
            }

            _expected++;
        }

        Array.Clear(_slots);
        _held = 0;
        _expected = sequence;
        _highest = (ushort)(sequence - 1);
    }
}
