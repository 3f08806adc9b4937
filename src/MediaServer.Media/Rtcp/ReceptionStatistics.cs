namespace MediaServer.Media.Rtcp;

/// <summary>
/// What a receiver knows about one RTP source, kept as RFC 3550 appendix A.1, A.3 and A.8 do:
/// extended highest sequence number, expected versus received packets, interarrival jitter,
/// and the last sender report. One writer; a few integer operations per packet.
/// </summary>
public sealed class ReceptionStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;

    private bool _started;
    private uint _ssrc;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private uint _lastTransit;
    private double _jitter;

    // RFC 3550 A.1 "bad_seq": the sequence number right after a stray jump, or -1 for none.
    private int _badSequence = -1;

    public long Received => _received;

    /// <summary>Counts one packet. <paramref name="arrival"/> is the arrival time in RTP clock units.</summary>
    public void OnPacket(uint ssrc, ushort sequenceNumber, uint rtpTimestamp, long arrival)
    {
        if (!_started || ssrc != _ssrc)
        {
            _started = true;
            _ssrc = ssrc;
            RestartSequence(sequenceNumber);
            _jitter = 0;
            _badSequence = -1;
            _lastTransit = (uint)arrival - rtpTimestamp;
        }
        else
        {
            ushort delta = (ushort)(sequenceNumber - _maxSequence);
            if (delta < MaxDropout)
            {
                if (sequenceNumber < _maxSequence)
                {
                    _cycles += 1 << 16;
                }

                _maxSequence = sequenceNumber;
            }
            else if (delta <= ushort.MaxValue + 1 - MaxMisorder)
            {
                // A very large jump. One such packet is more likely stray than a restart, so it is
                // not counted; only when the next packet follows it has the source restarted its
                // sequence, and counting starts afresh (RFC 3550 A.1).
                if (sequenceNumber != _badSequence)
                {
                    _badSequence = (ushort)(sequenceNumber + 1);
                    return;
                }

                _badSequence = -1;
                RestartSequence(sequenceNumber);
            }

            // RFC 3550 A.8 works in 32-bit arithmetic, so an RTP timestamp wrap is not a jump.
            uint transit = (uint)arrival - rtpTimestamp;
            long d = Math.Abs((long)(int)(transit - _lastTransit)); // long: |int.MinValue| overflows int
            _lastTransit = transit;
            _jitter += (d - _jitter) / 16.0;
        }

        _received++;
    }

    /// <summary>
    /// The report block for now; advances the "since last report" interval. The source's last
    /// sender report (NTP time, and when it arrived on a millisecond clock) gives LSR and DLSR.
    /// </summary>
    public bool TryCreateReportBlock(long nowMs, ulong lastSenderReportNtp, long lastSenderReportAtMs, out RtcpReportBlock block)
    {
        block = default;
        if (!_started)
        {
            return false;
        }

        uint extendedMax = _cycles + _maxSequence;
        long expected = (long)extendedMax - _baseSequence + 1;
        long lost = expected - _received;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        // An interval in which everything was lost would be 256/256: the 8-bit field saturates at 255.
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        // LSR is the middle of the SR's NTP time; DLSR is in units of 1/65536 s (0 without an SR).
        uint lastSenderReport = lastSenderReportNtp == 0 ? 0 : NtpTime.Middle32(lastSenderReportNtp);
        uint delay = lastSenderReport == 0 ? 0 : (uint)(Math.Max(0, nowMs - lastSenderReportAtMs) * 65536 / 1000);
        block = new RtcpReportBlock(_ssrc, fraction, (int)Math.Clamp(lost, int.MinValue, int.MaxValue), extendedMax,
            (uint)_jitter, lastSenderReport, delay);
        return true;
    }

    /// <summary>Counting starts afresh at <paramref name="sequenceNumber"/> (a new source, or one that restarted its sequence).</summary>
    private void RestartSequence(ushort sequenceNumber)
    {
        _baseSequence = sequenceNumber;
        _maxSequence = sequenceNumber;
        _cycles = 0;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
    }
}
