using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Attribution;

/// <summary>
/// One attribution map (DESIGN.md invariant 7): each key has at most one owner. A claim of a free
/// key takes it; a claim by the key's own owner is a no-op; a claim of a key another owner holds is
/// refused, logged and counted in <c>mediaserver_attribution_conflicts_total{map}</c>, and never
/// overwrites. Only the owner can release a key, so a late release by a session that lost a race
/// cannot free what someone else holds. Lookups are lock-free and allocate nothing.
/// </summary>
public sealed class ClaimTable<TKey, TOwner>
    where TKey : notnull
    where TOwner : class
{
    private readonly ConcurrentDictionary<TKey, TOwner> _claims;
    private readonly AttributionConflicts _conflicts;
    private readonly ILogger? _logger;
    private readonly Func<TKey, string> _describeKey;
    private long _refused;

    public ClaimTable(string map, ILogger? logger, IEqualityComparer<TKey>? comparer = null, Func<TKey, string>? describeKey = null)
    {
        _claims = new ConcurrentDictionary<TKey, TOwner>(comparer);
        _conflicts = new AttributionConflicts(map);
        _logger = logger;
        _describeKey = describeKey ?? (key => key.ToString() ?? "?");
    }

    /// <summary>The map's name (<see cref="AttributionMap"/>).</summary>
    public string Map => _conflicts.Map;

    public int Count => _claims.Count;

    /// <summary>The current owners (a snapshot-like view for the API and shutdown; not the hot path).</summary>
    public ICollection<TOwner> Owners => _claims.Values;

    /// <summary>Claims refused by this table since it was made.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Takes <paramref name="key"/> for <paramref name="owner"/>; false (logged with
    /// <paramref name="claimant"/> and counted) when another owner holds it. <paramref name="key"/>
    /// is stored: pass a key nobody mutates afterwards.
    /// </summary>
    public bool TryClaim(TKey key, TOwner owner, string claimant)
    {
        TOwner holder = _claims.GetOrAdd(key, owner);
        if (ReferenceEquals(holder, owner))
        {
            return true;
        }

        Refuse(key, claimant, holder);
        return false;
    }

    /// <summary>Frees <paramref name="key"/> if <paramref name="owner"/> holds it; false otherwise.</summary>
    public bool Release(TKey key, TOwner owner) =>
        _claims.TryRemove(new KeyValuePair<TKey, TOwner>(key, owner));

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TOwner owner) => _claims.TryGetValue(key, out owner);

    /// <summary>The owner of <paramref name="key"/>, looked up by a type equal to the key without making one.</summary>
    public ConcurrentDictionary<TKey, TOwner>.AlternateLookup<TAlternate> GetAlternateLookup<TAlternate>()
        where TAlternate : notnull, allows ref struct =>
        _claims.GetAlternateLookup<TAlternate>();

    /// <summary>Counts and logs (see <see cref="AttributionConflicts"/>) a refused claim the caller detected itself.</summary>
    public void Refuse(TKey key, string claimant, object holder)
    {
        Interlocked.Increment(ref _refused);
        if (_conflicts.Count(out long more) && _logger is not null)
        {
            _logger.LogWarning(
                "Attribution conflict in {Map}: {Claimant} claimed {Key}, which {Holder} holds; refused (and {More} more refused in this map since the last line)",
                Map, claimant, _describeKey(key), holder.ToString(), more);
        }
    }
}
