using BenchmarkDotNet.Running;

namespace MediaServer.Benchmarks;

// Run all: dotnet run -c Release --project bench/MediaServer.Benchmarks -- --filter '*'
// Quick:   add --job short while iterating.
internal static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
