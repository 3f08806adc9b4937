using System.Diagnostics;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>What every client process a test starts needs at its end: nothing of it outlives the test.</summary>
internal static class ChildProcess
{
    /// <summary>Kills the process and what it started, if still running, waits a bounded time, and disposes it.</summary>
    public static async ValueTask KillTreeAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // it exited between the check and the kill
        }
        catch (TimeoutException)
        {
            // a zombie the kernel will reap; the test has its result
        }

        process.Dispose();
    }
}
