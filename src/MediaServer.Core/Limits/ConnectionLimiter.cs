using System.Net;
using MediaServer.Core.Metrics;

namespace MediaServer.Core.Limits;

/// <summary>
/// Counts open connections in total and per client address, and refuses one that would pass a
/// <see cref="ConnectionLimits"/> bound. Called once per accepted connection, never per packet;
/// an address's entry goes away with its last connection, so the maps are bounded by the limits.
/// </summary>
public sealed class ConnectionLimiter(ConnectionLimits limits)
{
    private readonly KeyedCounts<IPAddress> _perAddress = new();
    private readonly KeyedCounts<IPAddress> _probesPerAddress = new();
    private int _total;

    public int Open => Volatile.Read(ref _total);

    /// <summary>
    /// Takes a slot for a new connection from <paramref name="address"/>; false (with the name of
    /// the limit, counted in <c>mediaserver_limit_rejections_total</c>) when it must be refused.
    /// Every true must be paired with one <see cref="Release(IPAddress?)"/>.
    /// </summary>
    public bool TryAcquire(IPAddress? address, out string refusedBy) =>
        Admit(address, allowProbeOnly: false, out refusedBy) == ConnectionAdmission.Full;

    /// <summary>
    /// Like <see cref="TryAcquire"/>, but with <paramref name="allowProbeOnly"/> a connection past
    /// its address's limit (and within the total) is taken as <see cref="ConnectionAdmission.ProbeOnly"/>
    /// while the address holds fewer than <see cref="ConnectionLimits.MaxProbeConnectionsPerAddress"/>
    /// such connections. Every admission but <see cref="ConnectionAdmission.Refused"/> must be paired
    /// with one <see cref="Release(IPAddress?, ConnectionAdmission)"/> of the same kind.
    /// </summary>
    public ConnectionAdmission Admit(IPAddress? address, bool allowProbeOnly, out string refusedBy)
    {
        refusedBy = string.Empty;
        address = ClientAddress.Normalize(address);
        if (Interlocked.Increment(ref _total) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            refusedBy = "connections";
        }
        else if (address is null || _perAddress.TryTake(address, limits.MaxConnectionsPerAddress))
        {
            return ConnectionAdmission.Full;
        }
        else if (allowProbeOnly && _probesPerAddress.TryTake(address, limits.MaxProbeConnectionsPerAddress))
        {
            return ConnectionAdmission.ProbeOnly;
        }
        else
        {
            Interlocked.Decrement(ref _total);
            refusedBy = "connections_per_address";
        }

        MetricsRegistry.LimitRejections.WithLabels(refusedBy).Inc();
        return ConnectionAdmission.Refused;
    }

    public void Release(IPAddress? address) => Release(address, ConnectionAdmission.Full);

    public void Release(IPAddress? address, ConnectionAdmission admission)
    {
        if (admission == ConnectionAdmission.Refused)
        {
            return;
        }

        address = ClientAddress.Normalize(address);
        if (address is not null)
        {
            (admission == ConnectionAdmission.ProbeOnly ? _probesPerAddress : _perAddress).Release(address);
        }

        Interlocked.Decrement(ref _total);
    }
}
