namespace MediaServer.Rtsp.Tests.Server;

/// <summary>Waits for a condition by polling, bounded by a deadline: never a fixed sleep.</summary>
internal static class Poll
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? deadline = null)
    {
        long end = Environment.TickCount64 + (long)(deadline ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > end)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
