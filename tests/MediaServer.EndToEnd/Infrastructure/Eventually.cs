namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>Waits for a condition about server state that settles asynchronously (not a timing assertion).</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan deadline)
    {
        DateTime giveUp = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
