using System.Globalization;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One scrape of the server's /metrics: each series summed over its labels, and the buckets of
/// its own egress-latency histogram (arrival at the server to the write to the reader's socket),
/// so the report can set what the server says beside what the readers measured.
/// </summary>
internal sealed class ServerMetrics
{
    private const string LatencyBuckets = "mediaserver_egress_latency_seconds_bucket";
    private readonly Dictionary<string, double> _sums;
    private readonly SortedDictionary<double, double> _latency;

    private ServerMetrics(Dictionary<string, double> sums, SortedDictionary<double, double> latency)
    {
        _sums = sums;
        _latency = latency;
    }

    public static async Task<ServerMetrics> ScrapeAsync(HttpClient http, Uri httpBase, CancellationToken cancellationToken)
    {
        string text = await http.GetStringAsync(new Uri(httpBase, "metrics"), cancellationToken);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var latency = new SortedDictionary<double, double>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            int brace = line.IndexOf('{');
            string name = brace > 0 && brace < space ? line[..brace] : line[..space];
            if (!double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }

            sums[name] = sums.GetValueOrDefault(name) + value;
            if (name == LatencyBuckets && Label(line, "le") is { } le)
            {
                double bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                latency[bound] = latency.GetValueOrDefault(bound) + value;
            }
        }

        return new ServerMetrics(sums, latency);
    }

    public double Sum(string name) => _sums.GetValueOrDefault(name);

    /// <summary>Upper bound of the bucket holding <paramref name="quantile"/> of the samples taken between two scrapes.</summary>
    public static double LatencyQuantile(ServerMetrics from, ServerMetrics to, double quantile)
    {
        var deltas = to._latency.Select(b => (Bound: b.Key, Count: b.Value - from._latency.GetValueOrDefault(b.Key))).ToList();
        double total = deltas.Count == 0 ? 0 : deltas[^1].Count;
        if (total <= 0)
        {
            return 0;
        }

        foreach ((double bound, double count) in deltas)
        {
            if (count >= quantile * total)
            {
                return bound;
            }
        }

        return double.PositiveInfinity;
    }

    private static string? Label(string line, string label)
    {
        string key = label + "=\"";
        int start = line.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += key.Length;
        int end = line.IndexOf('"', start);
        return line[start..end];
    }
}
