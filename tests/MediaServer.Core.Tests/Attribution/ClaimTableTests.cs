using System.Net;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;

namespace MediaServer.Core.Tests.Attribution;

/// <summary>The rules of every attribution map (DESIGN.md invariant 7), checked on the table they all use.</summary>
public class ClaimTableTests
{
    private sealed class Owner(string name)
    {
        public override string ToString() => name;
    }

    [Fact]
    public void A_live_key_has_one_owner_a_second_claim_is_refused_and_counted_and_never_overwrites()
    {
        var table = new ClaimTable<string, Owner>("test_map_refusal", logger: null, StringComparer.Ordinal);
        var first = new Owner("first");
        var second = new Owner("second");
        var conflicts = MetricsRegistry.AttributionConflicts.WithLabels("test_map_refusal");
        double before = conflicts.Value;

        Assert.True(table.TryClaim("key", first, "first"));
        Assert.True(table.TryClaim("key", first, "first again"));
        Assert.False(table.TryClaim("key", second, "second"));

        Assert.True(table.TryGet("key", out Owner? owner));
        Assert.Same(first, owner);
        Assert.Equal(1, table.Refused);
        Assert.Equal(before + 1, conflicts.Value);
    }

    [Fact]
    public void Only_the_owner_releases_a_key_and_then_it_is_free_for_the_next_claim()
    {
        var table = new ClaimTable<string, Owner>("test_map_release", logger: null, StringComparer.Ordinal);
        var first = new Owner("first");
        var second = new Owner("second");
        Assert.True(table.TryClaim("key", first, "first"));

        Assert.False(table.Release("key", second));
        Assert.True(table.TryGet("key", out Owner? still));
        Assert.Same(first, still);

        Assert.True(table.Release("key", first));
        Assert.False(table.TryGet("key", out _));
        Assert.True(table.TryClaim("key", second, "second"));
        Assert.Equal(0, table.Refused);
    }

    [Fact]
    public void Socket_addresses_are_keys_by_value_so_a_receive_buffer_finds_the_claim_of_an_equal_address()
    {
        var table = new ClaimTable<System.Net.SocketAddress, Owner>("test_map_address", logger: null);
        var owner = new Owner("camera");
        Assert.True(table.TryClaim(new IPEndPoint(IPAddress.Loopback, 5000).Serialize(), owner, "camera"));

        Assert.True(table.TryGet(new IPEndPoint(IPAddress.Loopback, 5000).Serialize(), out Owner? found));
        Assert.Same(owner, found);
        Assert.False(table.TryGet(new IPEndPoint(IPAddress.Loopback, 5001).Serialize(), out _));
        Assert.False(table.TryClaim(new IPEndPoint(IPAddress.Loopback, 5000).Serialize(), new Owner("tenant"), "tenant"));
    }

    [Fact]
    public void A_flood_of_refused_claims_is_counted_in_full_but_logged_once_a_second()
    {
        var log = new ListLogger();
        var table = new ClaimTable<string, Owner>("test_map_flood", log, StringComparer.Ordinal);
        Assert.True(table.TryClaim("port", new Owner("camera"), "camera"));
        for (int i = 0; i < 100; i++)
        {
            Assert.False(table.TryClaim("port", new Owner($"tenant {i}"), $"tenant {i}"));
        }

        Assert.Equal(100, table.Refused);
        string line = Assert.Single(log.Lines);
        Assert.Contains("test_map_flood: tenant 0 claimed port, which camera holds; refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_claims_of_one_key_have_exactly_one_winner()
    {
        var table = new ClaimTable<int, Owner>("test_map_race", logger: null);
        Owner[] owners = [.. Enumerable.Range(0, 16).Select(i => new Owner($"owner {i}"))];
        for (int key = 0; key < 200; key++)
        {
            int winners = 0;
            Parallel.ForEach(owners, owner =>
            {
                if (table.TryClaim(key, owner, owner.ToString()))
                {
                    Interlocked.Increment(ref winners);
                }
            });
            Assert.Equal(1, winners);
        }
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => Lines.Add(formatter(state, exception));
    }
}
