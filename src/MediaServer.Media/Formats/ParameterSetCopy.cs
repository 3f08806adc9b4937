namespace MediaServer.Media.Formats;

/// <summary>Keeps a private copy of a parameter set, copying only when it changes.</summary>
internal static class ParameterSetCopy
{
    /// <summary>Parameter sets rarely change: steady state compares and allocates nothing.</summary>
    public static void Update(ref byte[]? stored, ReadOnlySpan<byte> unit)
    {
        if (unit.IsEmpty || (stored is not null && unit.SequenceEqual(stored)))
        {
            return;
        }

        stored = unit.ToArray();
    }
}
