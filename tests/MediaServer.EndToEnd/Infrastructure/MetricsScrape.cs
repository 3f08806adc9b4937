using System.Globalization;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// One parsed Prometheus text exposition: each sample line as (name, labels, value). Enough of
/// the format for the server's own output (no escaped quotes in our label values).
/// </summary>
internal sealed class MetricsScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private MetricsScrape(string text)
    {
        Text = text;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int brace = line.IndexOf('{');
            int space = line.LastIndexOf(' ');
            string name = brace >= 0 ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0)
            {
                string inner = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (string pair in inner.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    int equals = pair.IndexOf('=');
                    labels[pair[..equals]] = pair[(equals + 1)..].Trim('"');
                }
            }

            _samples.Add((name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public static async Task<MetricsScrape> GetAsync(HttpClient http, int port)
    {
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        return new MetricsScrape(text);
    }

    public bool Has(string name) => _samples.Exists(s => s.Name == name);

    /// <summary>The sum over samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        double sum = 0;
        foreach ((string sampleName, Dictionary<string, string> sampleLabels, double value) in _samples)
        {
            if (sampleName == name && labels.All(l => sampleLabels.TryGetValue(l.Name, out string? v) && v == l.Value))
            {
                sum += value;
            }
        }

        return sum;
    }
}
