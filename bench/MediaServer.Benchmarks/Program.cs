using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/MediaServer.Benchmarks -- --filter '*'
// Quick:   add --job short while iterating.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
