using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server;

public class SessionIdTests
{
    [Fact]
    public void Session_ids_are_128_random_bits_and_never_repeat()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SessionId.Create()).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // Each hex digit position takes many values: not a counter, not a timestamp.
        Assert.All(Enumerable.Range(0, 32), i => Assert.True(ids.Select(id => id[i]).Distinct().Count() == 16));
    }
}
