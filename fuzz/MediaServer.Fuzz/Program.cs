using MediaServer.Fuzz;
using SharpFuzz;

// Usage (see fuzz/README.md):
//   MediaServer.Fuzz <target>                 run under afl-fuzz (out-of-process SharpFuzz)
//   MediaServer.Fuzz <target> --libfuzzer     run under libfuzzer-dotnet
//   MediaServer.Fuzz <target> --replay FILE…  run inputs once, e.g. a crash AFL saved
//   MediaServer.Fuzz --write-corpus DIR       write every target's seeds to DIR/<target>/
//   MediaServer.Fuzz --list                   the targets and what each covers
// --replay, --write-corpus and --list run product code directly, so they need the ordinary
// (uninstrumented) build; the AFL and libFuzzer modes touch product code only inside Run.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: MediaServer.Fuzz <target> [--libfuzzer | --replay FILE...] | --write-corpus DIR | --list");
    return 2;
}

if (args[0] == "--list")
{
    foreach (FuzzTarget t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name,-6} {t.Covers}");
    }

    return 0;
}

if (args[0] == "--write-corpus" && args.Length == 2)
{
    foreach (FuzzTarget t in FuzzTargets.All)
    {
        string directory = Path.Combine(args[1], t.Name);
        Directory.CreateDirectory(directory);
        int i = 0;
        foreach (byte[] seed in t.Seeds())
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{++i:D2}.bin"), seed);
        }
    }

    return 0;
}

string name = args[0];
if (!FuzzTargetNames.All.Contains(name))
{
    Console.Error.WriteLine($"unknown target '{name}'; targets: {string.Join(' ', FuzzTargetNames.All)}");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    FuzzTarget replayed = FuzzTargets.Find(name)!;

    // Exceptions propagate on purpose: the stack trace is what a crash report needs.
    foreach (string file in args.Skip(2))
    {
        Console.WriteLine($"{name}: {file}");
        replayed.Run(File.ReadAllBytes(file));
    }

    return 0;
}

FuzzTarget? target = null;
if (args.Length > 1 && args[1] == "--libfuzzer")
{
    Fuzzer.LibFuzzer.Run(data => (target ??= FuzzTargets.Find(name)!).Run(data));
    return 0;
}

// AFL hands each input over shared memory; the stream is read whole because the targets take spans.
Fuzzer.OutOfProcess.Run(stream =>
{
    target ??= FuzzTargets.Find(name)!;
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
});
return 0;
