using System.Collections.Concurrent;

namespace MediaServer.Core.Metrics;

/// <summary>
/// The <c>path</c> label values metrics may use: the first <see cref="Capacity"/> distinct paths
/// get their own label, every later one shares <see cref="Other"/>. Admission is permanent (a
/// path keeps its label after it is unpublished), so a series never changes label between
/// scrapes. Consulted when a stream or session starts, never per packet.
/// </summary>
public sealed class PathLabels
{
    public const string Other = "_other";

    private readonly ConcurrentDictionary<string, string> _admitted = new(StringComparer.Ordinal);
    private int _count;
    private int _capacity;

    public PathLabels(int capacity) => _capacity = Math.Max(0, capacity);

    /// <summary>Changing it affects only paths not admitted yet.</summary>
    public int Capacity
    {
        get => Volatile.Read(ref _capacity);
        set => Volatile.Write(ref _capacity, Math.Max(0, value));
    }

    /// <summary>Paths admitted with their own label so far.</summary>
    public int Count => Volatile.Read(ref _count);

    public string For(string path)
    {
        if (_admitted.TryGetValue(path, out string? label))
        {
            return label;
        }

        // Reserve a slot first, so concurrent first sightings can never exceed the capacity.
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return _admitted.TryGetValue(path, out label) ? label : Other;
        }

        if (!_admitted.TryAdd(path, path))
        {
            Interlocked.Decrement(ref _count); // another thread admitted it meanwhile
        }

        return path;
    }
}
