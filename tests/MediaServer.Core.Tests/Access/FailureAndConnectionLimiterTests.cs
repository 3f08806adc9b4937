using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Limits;

namespace MediaServer.Core.Tests.Access;

public class FailureAndConnectionLimiterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.11");

    [Fact]
    public void An_address_is_blocked_after_its_failures_and_other_addresses_are_not()
    {
        var limiter = new AuthFailureLimiter(3);
        for (int i = 0; i < 3; i++)
        {
            Assert.False(limiter.IsBlocked(Client));
            limiter.RecordFailure(Client);
        }

        Assert.True(limiter.IsBlocked(Client));
        Assert.False(limiter.IsBlocked(Other));
        Assert.False(limiter.IsBlocked(null));
    }

    [Fact]
    public void Connections_are_limited_per_address_and_in_total_and_slots_come_back()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimits { MaxConnections = 3, MaxConnectionsPerAddress = 2 });
        Assert.True(limiter.TryAcquire(Client, out _));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("::ffff:192.0.2.10"), out _)); // the same client over a dual-stack socket
        Assert.False(limiter.TryAcquire(Client, out string perAddress));
        Assert.Equal("connections_per_address", perAddress);

        Assert.True(limiter.TryAcquire(Other, out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("192.0.2.12"), out string total));
        Assert.Equal("connections", total);
        Assert.Equal(3, limiter.Open);

        limiter.Release(Client);
        Assert.True(limiter.TryAcquire(Client, out _));
        limiter.Release(Client);
        limiter.Release(Client);
        limiter.Release(Other);
        Assert.Equal(0, limiter.Open);
        Assert.True(limiter.TryAcquire(Client, out _));
        Assert.True(limiter.TryAcquire(Client, out _));
    }

    [Fact]
    public void Past_its_address_limit_an_http_connection_is_admitted_probe_only_within_its_allowance_and_the_total()
    {
        var limiter = new ConnectionLimiter(new ConnectionLimits { MaxConnections = 5, MaxConnectionsPerAddress = 1, MaxProbeConnectionsPerAddress = 2 });
        Assert.Equal(ConnectionAdmission.Full, limiter.Admit(Client, allowProbeOnly: true, out _));
        Assert.Equal(ConnectionAdmission.ProbeOnly, limiter.Admit(Client, allowProbeOnly: true, out _));
        Assert.False(limiter.TryAcquire(Client, out string rtsp)); // RTSP has no probe-only mode
        Assert.Equal("connections_per_address", rtsp);
        Assert.Equal(ConnectionAdmission.ProbeOnly, limiter.Admit(IPAddress.Parse("::ffff:192.0.2.10"), allowProbeOnly: true, out _));
        Assert.Equal(ConnectionAdmission.Refused, limiter.Admit(Client, allowProbeOnly: true, out string probes));
        Assert.Equal("connections_per_address", probes);

        // Probe-only connections count in the total: the process limit still holds.
        Assert.Equal(ConnectionAdmission.Full, limiter.Admit(Other, allowProbeOnly: true, out _));
        Assert.Equal(ConnectionAdmission.ProbeOnly, limiter.Admit(Other, allowProbeOnly: true, out _));
        Assert.Equal(5, limiter.Open);
        Assert.Equal(ConnectionAdmission.Refused, limiter.Admit(IPAddress.Parse("192.0.2.12"), allowProbeOnly: true, out string total));
        Assert.Equal("connections", total);

        limiter.Release(Client, ConnectionAdmission.ProbeOnly);
        Assert.Equal(ConnectionAdmission.ProbeOnly, limiter.Admit(Client, allowProbeOnly: true, out _));
        limiter.Release(Client, ConnectionAdmission.Full);
        Assert.Equal(ConnectionAdmission.Full, limiter.Admit(Client, allowProbeOnly: true, out _));
    }
}
