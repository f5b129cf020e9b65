using System.Text;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Reading;

public class FuzzTests
{
    private const string Alphabet = "abcdefgh: -[]{}\"'\n\t#&*!|>%@`,?~0123456789.\\";

    [Fact]
    public void Read_MutatedAndRandomInput_NeverThrowsAndAlwaysAnswers()
    {
        var random = new Random(20240601);
        var seeds = Directory.GetFiles(FixtureFiles.Directory("seeds"), "*.yaml").Select(File.ReadAllText).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var input = (i % 3) switch
            {
                0 => Mutate(seeds[random.Next(seeds.Length)], random),
                1 => Truncate(seeds[random.Next(seeds.Length)], random),
                _ => Soup(random),
            };

            var result = ManifestReader.Read(input, $"case-{i}");

            Assert.NotNull(result.Resources);
            Assert.NotNull(result.Issues);
            Assert.True(result.Resources.Count > 0 || result.Issues.Count > 0 || string.IsNullOrWhiteSpace(StripComments(input)) || IsEmptyYaml(input), $"case {i} returned nothing");
        }
    }

    [Theory]
    [InlineData("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]")]
    [InlineData("spec: *missing")]
    public void Read_HostileAliases_ReportsErrorWithoutExpanding(string yaml)
    {
        var result = ManifestReader.Read(yaml, "bomb.yaml");

        Assert.True(result.HasErrors);
    }

    public static TheoryData<string, string> NastyCases() => new()
    {
        { "timeout: 99999999999999999h", "duration too large" },
        { "timeout: 1h9999999999999999999999999999m", "duration too large" },
        { "weight: 1" + new string('0', 320), "too large to represent" },
        { "weight: -9" + new string('9', 400), "too large to represent" },
        { "weight: 1e999", "too large to represent" },
        { "weight: .inf", "cannot be represented" },
        { "weight: .nan", "cannot be represented" },
        { "weight: 99999999999999999999", "out of range" },
    };

    [Theory]
    [MemberData(nameof(NastyCases))]
    public void Read_NastyValue_ReportsCleanIssue(string field, string fragment)
    {
        var yaml = $"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r}}\nspec:\n  hosts: [r]\n  http:\n    - route:\n        - destination: {{host: r}}\n          {(field.StartsWith("weight", StringComparison.Ordinal) ? field : "weight: 1")}\n      {(field.StartsWith("timeout", StringComparison.Ordinal) ? field : "timeout: 1s")}";

        var result = ManifestReader.Read(yaml, "nasty.yaml");

        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Error && i.Message.Contains(fragment, StringComparison.Ordinal));
        Assert.All(result.Issues, i => Assert.True(i.Message.Length < 400, $"message too long: {i.Message.Length}"));
        _ = ManifestWriter.ToJson(result.Resources);
        _ = ManifestWriter.ToYaml(result.Resources);
    }

    [Theory]
    [InlineData("""{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"r"},"spec":{"hosts":["r"],"http":[{"route":[{"destination":{"host":"r"},"weight":1e999}]}]}}""")]
    [InlineData("""{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"r"},"spec":{"hosts":["r"],"http":[{"route":[{"destination":{"host":"r"},"weight":1000000000000000000000000000000000000000000000000000000000000000000000000}]}]}}""")]
    public void Read_JsonHugeNumber_ReportsCleanIssue(string json)
    {
        var result = ManifestReader.Read(json, "nasty.json");

        Assert.True(result.HasErrors);
        _ = ManifestWriter.ToJson(result.Resources);
    }

    [Fact]
    public void Read_DeeplyNestedInput_ReportsDepthError()
    {
        var result = ManifestReader.Read(new string('[', 5000) + new string(']', 5000), "deep.yaml");

        Assert.True(result.HasErrors);
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        for (var n = random.Next(1, 8); n > 0 && builder.Length > 0; n--)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0: builder.Remove(at, Math.Min(random.Next(1, 20), builder.Length - at)); break;
                case 1: builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                default: builder[at] = Alphabet[random.Next(Alphabet.Length)]; break;
            }
        }

        return builder.ToString();
    }

    private static string Truncate(string text, Random random) => text[..random.Next(text.Length)];

    private static string Soup(Random random)
    {
        var chars = new char[random.Next(0, 200)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0xD7FF) : Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static string StripComments(string text) => string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));

    private static bool IsEmptyYaml(string text) => text.Split('\n').All(l => l.Trim() is "" or "---" or "..." || l.TrimStart().StartsWith('#'));
}
