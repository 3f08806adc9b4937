namespace MediaServer.Hosting;

/// <summary>
/// Every setting that holds for the whole process rather than one host. The others are fixed at
/// build time in MediaServer.csproj: server and concurrent GC, tiered PGO, and the thread pool's
/// spin limit (<c>System.Threading.ThreadPool.UnfairSemaphoreSpinLimit</c>).
/// </summary>
internal static class ProcessSettings
{
    public static void Apply(TransportOptions transport)
    {
        if (transport.InlineSocketCompletions)
        {
            // Read by the runtime when it makes its first socket engine, which has not happened yet
            // in a server process (in a test process with earlier hosts it may have: then only
            // Kestrel's half, TransportOptions.InlineScheduling, applies).
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }
    }
}
