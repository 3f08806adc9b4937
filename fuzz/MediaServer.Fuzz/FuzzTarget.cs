using SharpFuzz;

namespace MediaServer.Fuzz;

/// <summary>
/// One parser under fuzzing: the name given on the command line, what it exercises (for --list
/// and the README), the entry point AFL or libFuzzer calls with each input, and the valid
/// messages its seed corpus is made from.
/// </summary>
public sealed record FuzzTarget(string Name, string Covers, ReadOnlySpanAction Run, Func<IEnumerable<byte[]>> Seeds);
