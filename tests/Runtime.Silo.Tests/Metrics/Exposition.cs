using System.Globalization;
using System.Text.RegularExpressions;

namespace Runtime.Silo.Tests.Metrics;

/// <summary>
/// A parsed Prometheus text exposition that fails on what the format forbids: a sample before its family's
/// TYPE line, an unparsable line, a histogram whose buckets are not cumulative or do not end at +Inf = _count.
/// </summary>
internal sealed partial class Exposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private Exposition()
    {
    }

    /// <summary>Family name to its TYPE.</summary>
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of one sample, written as in the exposition (<c>name{a="b",le="1"}</c>).</summary>
    public double this[string sample] =>
        _samples.TryGetValue(sample, out var value) ? value : throw new KeyNotFoundException($"no sample {sample} in the exposition");

    /// <summary>The value of one sample, or null when the exposition has none.</summary>
    public double? TryGet(string sample) => _samples.TryGetValue(sample, out var value) ? value : null;

    public static Exposition Parse(string text)
    {
        var exposition = new Exposition();
        var buckets = new Dictionary<string, List<(double Le, double Count)>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = TypeLine().Match(line);
            if (type.Success)
            {
                Assert.True(exposition.Types.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"line {lineNumber}: a second TYPE line for {type.Groups[1].Value}");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"line {lineNumber} is neither a comment nor a sample: {line}");
            var name = sample.Groups[1].Value;
            var labels = sample.Groups[2].Value;
            var value = sample.Groups[3].Value == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture);
            var family = exposition.FamilyOf(name);
            Assert.True(family is not null, $"line {lineNumber}: sample {name} has no preceding TYPE line for its family");
            Assert.True(exposition._samples.TryAdd(name + labels, value), $"line {lineNumber}: duplicate sample {name}{labels}");
            if (exposition.Types[family] == "histogram" && name == family + "_bucket")
            {
                var le = LeLabel().Match(labels);
                Assert.True(le.Success, $"line {lineNumber}: bucket without an le label");
                var series = LeLabel().Replace(labels, "").Replace("{}", "", StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal);
                var bound = le.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(le.Groups[1].Value, CultureInfo.InvariantCulture);
                if (!buckets.TryGetValue(family + series, out var list))
                {
                    buckets[family + series] = list = [];
                }

                list.Add((bound, value));
            }
        }

        foreach (var (series, list) in buckets)
        {
            for (var i = 1; i < list.Count; i++)
            {
                Assert.True(list[i].Le > list[i - 1].Le, $"{series}: bucket bounds are not increasing at le={list[i].Le}");
                Assert.True(list[i].Count >= list[i - 1].Count, $"{series}: buckets are not cumulative at le={list[i].Le}");
            }

            Assert.True(double.IsPositiveInfinity(list[^1].Le), $"{series}: the last bucket is not le=\"+Inf\"");
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            var count = brace < 0 ? series + "_count" : series[..brace] + "_count" + series[brace..];
            Assert.Equal(exposition[count], list[^1].Count);
        }

        return exposition;
    }

    private string? FamilyOf(string name)
    {
        if (Types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && Types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"")*)?\})? (\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@",?le=""([^""]*)""")]
    private static partial Regex LeLabel();
}
