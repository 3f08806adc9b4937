using System.Collections;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Header fields in the order they were received or added. Lookup is case-insensitive
/// (RFC 2326 §4.2 keeps HTTP's rule); names keep the spelling they arrived with. A list, not a
/// dictionary: requests carry a handful of fields, a linear scan beats hashing at that size,
/// and the list is reused across requests without reallocating. Only the parser and
/// <see cref="RtspResponse.AddHeader"/> (which validates) add to it.
/// </summary>
public sealed class RtspHeaders : IReadOnlyList<(string Name, string Value)>
{
    private readonly List<(string Name, string Value)> _fields = new(16);

    public int Count => _fields.Count;

    public (string Name, string Value) this[int index] => _fields[index];

    /// <summary>The value of the first field with this name, or null.</summary>
    public string? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach ((string fieldName, string value) in _fields)
        {
            if (string.Equals(fieldName, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Appends a field. Repeated names are kept (RFC 2326 allows repeating list-valued fields).</summary>
    internal void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _fields.Add((name, value));
    }

    internal void Clear() => _fields.Clear();

    /// <summary>A struct enumerator so that <c>foreach</c> over headers does not allocate.</summary>
    public List<(string Name, string Value)>.Enumerator GetEnumerator() => _fields.GetEnumerator();

    IEnumerator<(string Name, string Value)> IEnumerable<(string Name, string Value)>.GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();
}
