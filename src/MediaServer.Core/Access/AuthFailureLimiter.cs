using System.Collections.Concurrent;
using System.Net;

namespace MediaServer.Core.Access;

/// <summary>
/// Counts failed authentications per client address over a one-minute window and refuses an
/// address outright once it passes the limit, so credentials cannot be guessed at line rate.
/// Entries of quiet addresses are dropped as the map is used, keeping memory bounded.
/// </summary>
public sealed class AuthFailureLimiter(int maxFailuresPerMinute)
{
    private const long WindowMilliseconds = 60_000;
    private const int MaxTrackedAddresses = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>True while <paramref name="address"/> has used up its failures for this minute.</summary>
    public bool IsBlocked(IPAddress? address) =>
        address is not null && _windows.TryGetValue(address, out Window? window) && window.Count(Environment.TickCount64) >= maxFailuresPerMinute;

    public void RecordFailure(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        long now = Environment.TickCount64;
        if (_windows.Count > MaxTrackedAddresses)
        {
            foreach (KeyValuePair<IPAddress, Window> entry in _windows)
            {
                if (entry.Value.Count(now) == 0)
                {
                    _windows.TryRemove(entry);
                }
            }
        }

        _windows.GetOrAdd(address, _ => new Window()).Add(now);
    }

    private sealed class Window
    {
        private long _start;
        private int _count;

        public int Count(long now) => now - Volatile.Read(ref _start) > WindowMilliseconds ? 0 : Volatile.Read(ref _count);

        public void Add(long now)
        {
            if (now - Volatile.Read(ref _start) > WindowMilliseconds)
            {
                Volatile.Write(ref _start, now);
                Volatile.Write(ref _count, 0);
            }

            Interlocked.Increment(ref _count);
        }
    }
}
