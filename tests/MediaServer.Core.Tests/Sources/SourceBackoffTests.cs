using MediaServer.Core.Sources;

namespace MediaServer.Core.Tests.Sources;

public class SourceBackoffTests
{
    [Fact]
    public void Waits_double_per_failure_up_to_the_maximum_each_within_twenty_percent()
    {
        var backoff = new SourceBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));
        double[] expected = [1, 2, 4, 8, 16, 30, 30, 30];
        for (int failures = 1; failures <= expected.Length; failures++)
        {
            double seconds = backoff.Delay(failures).TotalSeconds;
            double nominal = expected[failures - 1];
            Assert.InRange(seconds, nominal * 0.8, nominal * 1.2);
        }
    }

    [Fact]
    public void Waits_for_the_same_failure_count_are_spread_so_cameras_do_not_retry_in_step()
    {
        var backoff = new SourceBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(11));
        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Delay(3)).Distinct().Count();
        Assert.True(delays > 10, $"only {delays} distinct waits in 20");
    }

    [Fact]
    public void A_maximum_below_the_minimum_is_the_minimum()
    {
        var backoff = new SourceBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Max);
    }
}
