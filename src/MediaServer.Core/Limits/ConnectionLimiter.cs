using System.Collections.Concurrent;
using System.Net;
using MediaServer.Core.Metrics;

namespace MediaServer.Core.Limits;

/// <summary>
/// Counts open connections in total and per client address, and refuses one that would pass a
/// <see cref="ConnectionLimits"/> bound. Called once per accepted connection, never per packet;
/// an address's entry goes away with its last connection, so the map is bounded by the limits.
/// </summary>
public sealed class ConnectionLimiter(ConnectionLimits limits)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    public int Open => Volatile.Read(ref _total);

    /// <summary>
    /// Takes a slot for a new connection from <paramref name="address"/>; false (with the name of
    /// the limit, counted in <c>mediaserver_limit_rejections_total</c>) when it must be refused.
    /// Every true must be paired with one <see cref="Release"/>.
    /// </summary>
    public bool TryAcquire(IPAddress? address, out string refusedBy)
    {
        refusedBy = string.Empty;
        address = Normalize(address);
        if (Interlocked.Increment(ref _total) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            refusedBy = "connections";
        }
        else if (address is not null && _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1) > limits.MaxConnectionsPerAddress)
        {
            ReleaseAddress(address);
            Interlocked.Decrement(ref _total);
            refusedBy = "connections_per_address";
        }

        if (refusedBy.Length == 0)
        {
            return true;
        }

        MetricsRegistry.LimitRejections.WithLabels(refusedBy).Inc();
        return false;
    }

    public void Release(IPAddress? address)
    {
        address = Normalize(address);
        if (address is not null)
        {
            ReleaseAddress(address);
        }

        Interlocked.Decrement(ref _total);
    }

    // ::ffff:a.b.c.d on a dual-stack socket is the same client as a.b.c.d.
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private void ReleaseAddress(IPAddress address)
    {
        while (_perAddress.TryGetValue(address, out int count))
        {
            if (count <= 1
                ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, count))
                : _perAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
