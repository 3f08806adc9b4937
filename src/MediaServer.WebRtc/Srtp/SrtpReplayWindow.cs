using System.Runtime.CompilerServices;

namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// The sliding replay window of RFC 3711 §3.3.2: the newest index seen and a bit for each of the
/// 1024 indices behind it. RFC 3711 asks for at least 64; 1024 is what browsers use, because a
/// packet resent after a NACK arrives far behind the newest one when a burst (a cached GOP at
/// start) was in flight. The bits live in a ring addressed by index modulo 1024, so advancing the
/// window clears only the bits it passes instead of shifting the whole map.
/// Checked before and updated after authentication succeeds.
/// </summary>
internal struct SrtpReplayWindow
{
    private const int Size = 1024;
    private const int Words = Size / 64;

    private bool _started;
    private ulong _highest;
    private Bitmap _bits;

    public readonly SrtpError Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return SrtpError.None;
        }

        if (_highest - index >= Size)
        {
            return SrtpError.TooOld;
        }

        return IsSet(index) ? SrtpError.Replayed : SrtpError.None;
    }

    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            Set(index);
            return;
        }

        if (index > _highest)
        {
            ulong shift = index - _highest;
            if (shift >= Size)
            {
                for (int i = 0; i < Words; i++)
                {
                    _bits[i] = 0;
                }
            }
            else
            {
                // The slots of the indices now entering the window held indices 1024 older.
                for (ulong passed = _highest + 1; passed <= index; passed++)
                {
                    Clear(passed);
                }
            }

            _highest = index;
        }

        Set(index);
    }

    private readonly bool IsSet(ulong index) => (_bits[Word(index)] & Bit(index)) != 0;

    private void Set(ulong index) => _bits[Word(index)] |= Bit(index);

    private void Clear(ulong index) => _bits[Word(index)] &= ~Bit(index);

    private static int Word(ulong index) => (int)((index % Size) / 64);

    private static ulong Bit(ulong index) => 1UL << (int)(index % 64);

    [InlineArray(Words)]
    private struct Bitmap
    {
        private ulong _word;
    }
}
