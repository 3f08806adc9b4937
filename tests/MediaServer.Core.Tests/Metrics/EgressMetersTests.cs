using MediaServer.Core.Metrics;

namespace MediaServer.Core.Tests.Metrics;

/// <summary>Scrape-time export of egress meters; each test uses a path label of its own.</summary>
public class EgressMetersTests
{
    private static string UniquePath() => "unit-" + Guid.NewGuid().ToString("N")[..8];

    private static double Packets(string path) =>
        MetricsRegistry.EgressPackets.WithLabels(path, "rtsp_tcp").Value;

    private static double Readers(string path) =>
        MetricsRegistry.Readers.WithLabels(path, "rtsp_tcp").Value;

    [Fact]
    public void Live_meters_are_summed_at_scrape_time_and_retired_ones_keep_their_totals()
    {
        string path = UniquePath();
        EgressMeter first = EgressMeters.Open(path, EgressTransport.RtspTcp, 1);
        EgressMeter second = EgressMeters.Open(path, EgressTransport.RtspTcp, 1);
        first.OnSent(100);
        first.OnSent(100);
        second.OnSent(50);

        ScrapeCollector.Collect();
        Assert.Equal(3, Packets(path));
        Assert.Equal(250, MetricsRegistry.EgressBytes.WithLabels(path, "rtsp_tcp").Value);
        Assert.Equal(2, Readers(path));

        first.Dispose();
        first.Dispose(); // idempotent: counted once
        second.OnSent(50);
        ScrapeCollector.Collect();
        Assert.Equal(4, Packets(path));
        Assert.Equal(1, Readers(path));

        second.Dispose();
        ScrapeCollector.Collect();
        Assert.Equal(4, Packets(path));
        Assert.Equal(0, Readers(path));
    }

    [Fact]
    public void Only_growth_of_the_cumulative_lost_count_is_counted()
    {
        string path = UniquePath();
        using EgressMeter meter = EgressMeters.Open(path, EgressTransport.RtspTcp, 2);
        meter.OnReceiverReport(0, 0, 10, 0, 90000); // the first report is the baseline
        meter.OnReceiverReport(0, 0, 15, 0, 90000);
        meter.OnReceiverReport(0, 0, 14, 0, 90000); // duplicates can lower it: not counted
        meter.OnReceiverReport(1, 0, 3, 0, 48000);
        meter.OnReceiverReport(1, 0, 4, 0, 48000);

        Assert.Equal(6, meter.PacketsLost);
        Assert.Equal(5, meter.ReceiverReports);
        ScrapeCollector.Collect();
        Assert.Equal(6, MetricsRegistry.ReportedPacketsLost.WithLabels(path, "rtsp_tcp").Value);
    }

    [Fact]
    public void The_latest_cumulative_lost_of_each_track_is_what_the_reader_lost_since_it_joined()
    {
        string path = UniquePath();
        using EgressMeter meter = EgressMeters.Open(path, EgressTransport.RtspUdp, 2);
        Assert.Equal(0, meter.ReportedCumulativeLost);
        double joinsBefore = MetricsRegistry.ReportedLostAtJoin.WithLabels("rtsp_udp").Count;
        double lostBefore = MetricsRegistry.ReportedLostAtJoin.WithLabels("rtsp_udp").Sum;

        meter.OnReceiverReport(0, 0, 700, 0, 90000); // lost at join, before the first report
        meter.OnReceiverReport(1, 0, 0, 0, 8000);
        meter.OnReceiverReport(0, 0, 705, 0, 90000);

        Assert.Equal(705, meter.ReportedCumulativeLost);
        Assert.Equal(5, meter.PacketsLost); // the running total still counts growth only
        Assert.Equal(2, MetricsRegistry.ReportedLostAtJoin.WithLabels("rtsp_udp").Count - joinsBefore);
        Assert.Equal(700, MetricsRegistry.ReportedLostAtJoin.WithLabels("rtsp_udp").Sum - lostBefore);
    }
}
