namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// The sliding replay window of RFC 3711 §3.3.2 over 64 packet indices: the newest index seen and
/// a bit per index behind it. Checked before and updated after authentication succeeds.
/// </summary>
internal struct SrtpReplayWindow
{
    private const int Size = 64;
    private bool _started;
    private ulong _highest;
    private ulong _bitmap;

    public readonly SrtpError Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return SrtpError.None;
        }

        ulong behind = _highest - index;
        if (behind >= Size)
        {
            return SrtpError.TooOld;
        }

        return (_bitmap & (1UL << (int)behind)) != 0 ? SrtpError.Replayed : SrtpError.None;
    }

    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _bitmap = 1;
            return;
        }

        if (index > _highest)
        {
            ulong shift = index - _highest;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            _highest = index;
        }
        else
        {
            _bitmap |= 1UL << (int)(_highest - index);
        }
    }
}
