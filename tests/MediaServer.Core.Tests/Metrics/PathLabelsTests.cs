using MediaServer.Core.Metrics;

namespace MediaServer.Core.Tests.Metrics;

public class PathLabelsTests
{
    [Fact]
    public void Paths_past_the_cap_share_the_other_label()
    {
        var labels = new PathLabels(2);
        Assert.Equal("cam1", labels.For("cam1"));
        Assert.Equal("cam2", labels.For("cam2"));
        Assert.Equal(PathLabels.Other, labels.For("cam3"));
        Assert.Equal(PathLabels.Other, labels.For("cam4"));
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public void An_admitted_path_keeps_its_label()
    {
        var labels = new PathLabels(1);
        Assert.Equal("cam1", labels.For("cam1"));
        Assert.Equal(PathLabels.Other, labels.For("cam2"));
        Assert.Equal("cam1", labels.For("cam1"));
    }

    [Fact]
    public void A_cap_of_zero_reports_every_path_as_other()
    {
        var labels = new PathLabels(0);
        Assert.Equal(PathLabels.Other, labels.For("cam1"));
        Assert.Equal(0, labels.Count);
    }

    [Fact]
    public void Raising_the_cap_admits_later_paths_only()
    {
        var labels = new PathLabels(1);
        labels.For("cam1");
        Assert.Equal(PathLabels.Other, labels.For("cam2"));
        labels.Capacity = 2;
        Assert.Equal("cam2", labels.For("cam2"));
        Assert.Equal(PathLabels.Other, labels.For("cam3"));
    }

    [Fact]
    public void Concurrent_first_sightings_never_exceed_the_cap()
    {
        var labels = new PathLabels(50);
        var admitted = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 1000, i =>
        {
            string label = labels.For("cam" + (i % 200));
            if (label != PathLabels.Other)
            {
                admitted.Add(label);
            }
        });

        Assert.Equal(50, labels.Count);
        Assert.Equal(50, admitted.Distinct().Count());
    }
}
