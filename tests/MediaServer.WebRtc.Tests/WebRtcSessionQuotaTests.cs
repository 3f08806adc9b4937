using System.Collections.Concurrent;
using System.Net;
using MediaServer.Core.Access;

namespace MediaServer.WebRtc.Tests;

public class WebRtcSessionQuotaTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly Principal Alice = new("alice", []);
    private static readonly Principal Bob = new("bob", []);

    [Fact]
    public void A_burst_of_concurrent_offers_never_passes_the_per_address_bound()
    {
        var quota = new WebRtcSessionQuota(new WebRtcOptions { MaxSessionsPerAddress = 5 });
        var taken = new ConcurrentBag<WebRtcSessionSlot>();
        int refusedPerAddress = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
        {
            if (quota.TryTake(Client, Principal.Everyone, out WebRtcSessionSlot? slot, out WebRtcSessionLimit limit))
            {
                taken.Add(slot);
            }
            else if (limit == WebRtcSessionLimit.PerAddress)
            {
                Interlocked.Increment(ref refusedPerAddress);
            }
        });

        Assert.Equal(5, taken.Count);
        Assert.Equal(1995, refusedPerAddress);
        Assert.Equal(5, quota.Count);
        foreach (WebRtcSessionSlot slot in taken)
        {
            slot.Release();
            slot.Release(); // a second release (DELETE racing a timeout) gives nothing back twice
        }

        Assert.Equal(0, quota.Count);
        Assert.Equal(0, quota.CountOf(Client));
    }

    [Fact]
    public void Principals_are_bound_by_owner_not_by_the_name_people_read()
    {
        var quota = new WebRtcSessionQuota(new WebRtcOptions { MaxSessionsPerPrincipal = 1 });
        // Two tokens without a subject: both named jwt:token, each its own owner.
        Principal first = Principal.ForToken(null, "issuer", "signature-one", []);
        Principal second = Principal.ForToken(null, "issuer", "signature-two", []);
        // A user whose name reads like the token of subject x, and that token.
        Principal user = new("jwt:x", []);
        Principal token = Principal.ForToken("x", "issuer", "signature-three", []);
        Assert.Equal(first.Name, second.Name);
        Assert.Equal(user.Name, token.Name);

        foreach (Principal principal in new[] { first, second, user, token })
        {
            Assert.True(quota.TryTake(null, principal, out _, out WebRtcSessionLimit limit), $"{principal.OwnerKey} was refused by {limit}");
            Assert.Equal(1, quota.CountOf(principal));
        }

        Assert.False(quota.TryTake(null, first, out _, out WebRtcSessionLimit refused));
        Assert.Equal(WebRtcSessionLimit.PerPrincipal, refused);
    }

    [Fact]
    public void Principals_are_bound_separately_anonymous_only_per_address_and_mapped_addresses_count_as_ipv4()
    {
        var quota = new WebRtcSessionQuota(new WebRtcOptions { MaxSessionsPerAddress = 3, MaxSessionsPerPrincipal = 1 });
        Assert.True(quota.TryTake(Client, Alice, out WebRtcSessionSlot? alice, out _));
        Assert.False(quota.TryTake(IPAddress.Parse("192.0.2.99"), Alice, out _, out WebRtcSessionLimit limit));
        Assert.Equal(WebRtcSessionLimit.PerPrincipal, limit);
        Assert.Equal(1, quota.CountOf(Client));

        Assert.True(quota.TryTake(IPAddress.Parse("::ffff:192.0.2.10"), Bob, out _, out _));
        Assert.True(quota.TryTake(Client, Principal.Everyone, out _, out _));
        Assert.False(quota.TryTake(Client, Principal.Everyone, out _, out limit));
        Assert.Equal(WebRtcSessionLimit.PerAddress, limit);
        Assert.Equal(3, quota.CountOf(Client));

        alice.Release();
        Assert.Equal(0, quota.CountOf(Alice));
        Assert.True(quota.TryTake(IPAddress.Parse("192.0.2.99"), Alice, out _, out _));
    }

    [Fact]
    public void The_total_bound_comes_first()
    {
        var quota = new WebRtcSessionQuota(new WebRtcOptions { MaxSessions = 1 });
        Assert.True(quota.TryTake(Client, Alice, out _, out _));
        Assert.False(quota.TryTake(IPAddress.Parse("192.0.2.99"), Bob, out _, out WebRtcSessionLimit limit));
        Assert.Equal(WebRtcSessionLimit.Total, limit);
        Assert.Equal(0, quota.CountOf(Bob));
    }
}
