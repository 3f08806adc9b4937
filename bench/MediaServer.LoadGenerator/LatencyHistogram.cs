namespace MediaServer.LoadGenerator;

/// <summary>
/// Log-linear histogram of nanosecond values: exact below 64 ns, then 32 buckets per power of
/// two (at most 3 % relative error). Any thread may record; each record is one interlocked add,
/// so thousands of readers can share it without a lock.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private const int LinearLimit = 2 * SubBuckets;
    private readonly long[] _counts = new long[LinearLimit + (63 - 6) * SubBuckets + SubBuckets];

    public long Count
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public void Record(long nanoseconds)
    {
        Interlocked.Increment(ref _counts[IndexOf(Math.Max(0, nanoseconds))]);
    }

    public void Reset()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }

    /// <summary>The value below which <paramref name="quantile"/> of the samples lie (upper edge of its bucket).</summary>
    public long ValueAt(double quantile)
    {
        long[] snapshot = new long[_counts.Length];
        long total = 0;
        for (int i = 0; i < snapshot.Length; i++)
        {
            snapshot[i] = Interlocked.Read(ref _counts[i]);
            total += snapshot[i];
        }

        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < snapshot.Length; i++)
        {
            seen += snapshot[i];
            if (seen >= rank)
            {
                return UpperEdge(i);
            }
        }

        return UpperEdge(snapshot.Length - 1);
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        int exponent = 63 - (int)long.LeadingZeroCount(value); // >= 6
        int shift = exponent - 5;
        int sub = (int)(value >> shift) - SubBuckets; // 0..31
        return LinearLimit + (exponent - 6) * SubBuckets + sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        int exponent = (index - LinearLimit) / SubBuckets + 6;
        int sub = (index - LinearLimit) % SubBuckets;
        int shift = exponent - 5;
        return ((long)(SubBuckets + sub + 1) << shift) - 1;
    }
}
