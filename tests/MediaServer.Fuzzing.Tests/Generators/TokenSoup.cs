using System.Text;

namespace MediaServer.Fuzzing.Tests.Generators;

/// <summary>
/// Text made of a grammar's own pieces in random order. Uniformly random bytes almost never get
/// past a text parser's first check; sequences of real tokens, separators and numbers do, and
/// reach the branches deep inside.
/// </summary>
internal static class TokenSoup
{
    public static Gen<string> Of(int maxTokens, params string[] tokens) =>
        Gen.OneOf(
            Gen.OneOf(tokens),
            Gen.Int[0, 70000].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Char[' ', '~'].Select(c => c.ToString()),
            Gen.Char.Select(c => c.ToString()))
        .Array[0, maxTokens]
        .Select(parts => string.Concat(parts));

    public static Gen<byte[]> BytesOf(int maxTokens, params string[] tokens) =>
        Of(maxTokens, tokens).Select(s => Encoding.UTF8.GetBytes(s));
}
