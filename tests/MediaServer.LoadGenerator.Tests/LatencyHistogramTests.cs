namespace MediaServer.LoadGenerator.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Quantiles_of_a_uniform_spread_are_within_the_bucket_error()
    {
        var histogram = new LatencyHistogram();
        for (long microseconds = 1; microseconds <= 10_000; microseconds++)
        {
            histogram.Record(microseconds * 1000);
        }

        Assert.Equal(10_000, histogram.Count);
        AssertNear(5_000_000, histogram.ValueAt(0.50));
        AssertNear(9_900_000, histogram.ValueAt(0.99));
        AssertNear(9_990_000, histogram.ValueAt(0.999));
    }

    [Fact]
    public void A_rare_slow_sample_shows_in_the_tail_and_not_in_the_median()
    {
        var histogram = new LatencyHistogram();
        for (int i = 0; i < 999; i++)
        {
            histogram.Record(100_000);
        }

        histogram.Record(50_000_000);

        AssertNear(100_000, histogram.ValueAt(0.5));
        AssertNear(100_000, histogram.ValueAt(0.99));
        AssertNear(50_000_000, histogram.ValueAt(1.0));
    }

    [Fact]
    public void Reset_forgets_every_sample_and_small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(5_000_000);
        histogram.Reset();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.ValueAt(0.99));

        histogram.Record(42);
        Assert.Equal(42, histogram.ValueAt(0.5));
    }

    private static void AssertNear(long expected, long actual) =>
        Assert.InRange(actual, expected * 0.96, expected * 1.04);
}
