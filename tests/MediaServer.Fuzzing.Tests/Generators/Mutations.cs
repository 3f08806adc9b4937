namespace MediaServer.Fuzzing.Tests.Generators;

/// <summary>Generators of mutated valid messages, for the "damaged input" properties.</summary>
internal static class Mutations
{
    /// <summary>One edit anywhere in a message of up to a few kilobytes.</summary>
    public static readonly Gen<Mutation> Edit =
        Gen.Select(Gen.Int[0, Mutation.KindCount - 1], Gen.Int[0, 1 << 16], Gen.Byte, Gen.Int[1, 16], Gen.Byte.Array[1, 8],
            (kind, position, value, length, inserted) => new Mutation(kind, position, value, length, inserted));

    /// <summary>A seed with one to four edits applied in turn; shrinking goes towards fewer, smaller edits.</summary>
    public static Gen<(byte[] Seed, Mutation[] Edits, byte[] Mutated)> Of(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Edit.Array[1, 4], (index, edits) =>
        {
            byte[] mutated = seeds[index];
            foreach (Mutation edit in edits)
            {
                mutated = edit.ApplyTo(mutated);
            }

            return (seeds[index], edits, mutated);
        });

    /// <summary>Only the mutated bytes, for properties that do not need to know the edits.</summary>
    public static Gen<byte[]> Bytes(IReadOnlyList<byte[]> seeds) => Of(seeds).Select(m => m.Mutated);
}
