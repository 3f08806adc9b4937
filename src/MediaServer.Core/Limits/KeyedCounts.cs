using System.Collections.Concurrent;

namespace MediaServer.Core.Limits;

/// <summary>
/// How many of something each key holds (connections of an address, sessions of a principal),
/// bounded per key without a lock: an increment that passes the bound is undone, so a burst of
/// concurrent takers can never all pass. A key's entry goes away with its last count, so the map
/// holds only keys that hold something.
/// </summary>
public sealed class KeyedCounts<TKey>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _counts = new(comparer);

    public int this[TKey key] => _counts.TryGetValue(key, out int count) ? count : 0;

    /// <summary>Takes one for <paramref name="key"/> unless it already holds <paramref name="max"/>; every true needs one <see cref="Release"/>.</summary>
    public bool TryTake(TKey key, int max)
    {
        if (_counts.AddOrUpdate(key, 1, static (_, n) => n + 1) <= max)
        {
            return true;
        }

        Release(key);
        return false;
    }

    public void Release(TKey key)
    {
        while (_counts.TryGetValue(key, out int count))
        {
            if (count <= 1
                ? _counts.TryRemove(new KeyValuePair<TKey, int>(key, count))
                : _counts.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }
}
