namespace MediaServer.EndToEnd;

/// <summary>
/// The chaos test runs alone (after the parallel tests): it loads both cores of a small machine
/// with dozens of decoders, and must neither slow other tests into timeouts nor be slowed by them.
/// </summary>
[CollectionDefinition("Chaos", DisableParallelization = true)]
public sealed class ChaosCollection
{
}
