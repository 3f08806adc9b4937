namespace MediaServer.Media.Rtcp;

/// <summary>
/// The packets of one received RTP stream that are missing, and which of them to ask for again
/// (RFC 4585 §6.2.1 Generic NACK). A gap in the sequence numbers makes its packets missing; each
/// is asked for at most <see cref="MaxAsks"/> times, <see cref="RetryMilliseconds"/> apart, and
/// never once it is older than <see cref="MaxAgeMilliseconds"/> (a retransmission that late would
/// only arrive after the frame it belongs to was given up). A packet that arrives late or
/// retransmitted is no longer missing. One thread (the receiver's) uses an instance; nothing is
/// allocated after construction.
/// </summary>
public sealed class NackTracker
{
    /// <summary>How many missing packets are remembered; a larger gap is a reset, not a loss to repair.</summary>
    public const int Capacity = 256;

    private readonly ushort[] _sequence = new ushort[Capacity];
    private readonly long[] _since = new long[Capacity];
    private readonly long[] _lastAsked = new long[Capacity];
    private readonly byte[] _asks = new byte[Capacity];
    private int _count;
    private ushort _highest;
    private bool _started;

    public int MaxAsks { get; init; } = 3;

    public long RetryMilliseconds { get; init; } = 100;

    public long MaxAgeMilliseconds { get; init; } = 1000;

    /// <summary>Packets missing now (some may no longer be worth asking for).</summary>
    public int MissingCount => _count;

    /// <summary>Packets found missing since the tracker started (a gap counts each of its packets once).</summary>
    public long Lost { get; private set; }

    /// <summary>An arriving packet at <paramref name="nowMilliseconds"/> (any monotonic clock in ms).</summary>
    public void OnPacket(ushort sequenceNumber, long nowMilliseconds)
    {
        if (!_started)
        {
            _started = true;
            _highest = sequenceNumber;
            return;
        }

        int delta = (short)(ushort)(sequenceNumber - _highest);
        if (delta <= 0)
        {
            Remove(sequenceNumber);
            return;
        }

        if (delta - 1 > Capacity)
        {
            // The sender jumped (restarted, or lost far more than is worth repairing): start over.
            _count = 0;
            _highest = sequenceNumber;
            return;
        }

        for (ushort missing = (ushort)(_highest + 1); missing != sequenceNumber; missing++)
        {
            Add(missing, nowMilliseconds);
        }

        _highest = sequenceNumber;
    }

    /// <summary>
    /// Writes into <paramref name="lost"/> (in sequence order) the missing packets due to be asked
    /// for now, counts the ask, and forgets those that are too old or were asked for often enough.
    /// Returns how many it wrote.
    /// </summary>
    public int Collect(long nowMilliseconds, Span<ushort> lost)
    {
        int written = 0;
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            if (nowMilliseconds - _since[i] > MaxAgeMilliseconds || _asks[i] >= MaxAsks)
            {
                continue;
            }

            if (written < lost.Length && (_asks[i] == 0 || nowMilliseconds - _lastAsked[i] >= RetryMilliseconds))
            {
                lost[written++] = _sequence[i];
                _asks[i]++;
                _lastAsked[i] = nowMilliseconds;
            }

            Move(i, kept++);
        }

        _count = kept;
        return written;
    }

    private void Add(ushort sequenceNumber, long now)
    {
        if (_count == Capacity)
        {
            // The oldest is the least likely to be repaired in time.
            for (int i = 1; i < Capacity; i++)
            {
                Move(i, i - 1);
            }

            _count--;
        }

        _sequence[_count] = sequenceNumber;
        _since[_count] = now;
        _lastAsked[_count] = 0;
        _asks[_count] = 0;
        _count++;
        Lost++;
    }

    private void Remove(ushort sequenceNumber)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_sequence[i] != sequenceNumber)
            {
                continue;
            }

            for (int j = i + 1; j < _count; j++)
            {
                Move(j, j - 1);
            }

            _count--;
            return;
        }
    }

    private void Move(int from, int to)
    {
        if (from == to)
        {
            return;
        }

        _sequence[to] = _sequence[from];
        _since[to] = _since[from];
        _lastAsked[to] = _lastAsked[from];
        _asks[to] = _asks[from];
    }
}
