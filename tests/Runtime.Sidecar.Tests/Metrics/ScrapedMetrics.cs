using System.Globalization;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>One scrape of a sidecar's <c>/stats/prometheus</c>, parsed into samples (name, labels, value).</summary>
internal sealed class ScrapedMetrics
{
    private ScrapedMetrics(string text, List<(string Name, Dictionary<string, string> Labels, double Value)> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples { get; }

    public static async Task<ScrapedMetrics> ScrapeAsync(RunningSidecar sidecar)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var response = await http.GetAsync(new Uri(sidecar.AdminAddress, "/stats/prometheus"));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        return new ScrapedMetrics(text, [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(Parse)]);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include every pair in <paramref name="match"/>.</summary>
    public IEnumerable<(Dictionary<string, string> Labels, double Value)> Where(string name, params (string Key, string Value)[] match) =>
        Samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Key, out var v) && v == m.Value)).Select(s => (s.Labels, s.Value));

    /// <summary>The sum of <paramref name="name"/> over the matching series.</summary>
    public double Sum(string name, params (string Key, string Value)[] match) => Where(name, match).Sum(s => s.Value);

    // name{k="v",...} value — the sidecar's label values never contain '"' or ',' so a plain split is enough here.
    private static (string, Dictionary<string, string>, double) Parse(string line)
    {
        var space = line.LastIndexOf(' ');
        var value = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        var head = line[..space];
        var brace = head.IndexOf('{', StringComparison.Ordinal);
        if (brace < 0)
        {
            return (head, [], value);
        }

        var labels = head[(brace + 1)..^1].Split("\",").Select(p => p.Split("=\"", 2)).ToDictionary(p => p[0], p => p[1].TrimEnd('"'));
        return (head[..brace], labels, value);
    }
}
