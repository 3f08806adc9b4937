namespace MediaServer.WebRtc.Srtp;

/// <summary>
/// What SRTP remembers per SSRC (RFC 3711 §3.2.1): the rollover counter and highest sequence
/// number that make up the 48-bit packet index, the replay windows, and the next SRTCP index.
/// </summary>
internal sealed class SrtpStreamState(uint ssrc)
{
    private bool _started;
    private ushort _highestSequence;

    public uint Ssrc { get; } = ssrc;

    public uint RolloverCounter { get; private set; }

    public SrtpReplayWindow RtpWindow;

    public SrtpReplayWindow RtcpWindow;

    /// <summary>The SRTCP index of the next packet this side sends (31 bits).</summary>
    public uint NextSrtcpIndex { get; set; }

    /// <summary>
    /// RFC 3711 Appendix A: the rollover counter this sequence number belongs to, given the
    /// highest one seen; works for late and retransmitted packets on either side of a wrap.
    /// </summary>
    public uint EstimateRolloverCounter(ushort sequenceNumber)
    {
        if (!_started)
        {
            return RolloverCounter;
        }

        if (_highestSequence < 32768)
        {
            return sequenceNumber - _highestSequence > 32768 ? RolloverCounter - 1 : RolloverCounter;
        }

        return _highestSequence - 32768 > sequenceNumber ? RolloverCounter + 1 : RolloverCounter;
    }

    /// <summary>Records a packet that was sent, or received and authenticated.</summary>
    public void Update(ushort sequenceNumber, uint rolloverCounter)
    {
        if (!_started)
        {
            _started = true;
            _highestSequence = sequenceNumber;
            RolloverCounter = rolloverCounter;
            return;
        }

        if (rolloverCounter == RolloverCounter + 1)
        {
            RolloverCounter = rolloverCounter;
            _highestSequence = sequenceNumber;
        }
        else if (rolloverCounter == RolloverCounter && sequenceNumber > _highestSequence)
        {
            _highestSequence = sequenceNumber;
        }
    }

    /// <summary>Tests only: start the stream at a given rollover counter and sequence number.</summary>
    internal void Seed(uint rolloverCounter, ushort highestSequence)
    {
        _started = true;
        RolloverCounter = rolloverCounter;
        _highestSequence = highestSequence;
    }
}
