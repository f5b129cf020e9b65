using System.Text;
using Runtime.Abstractions.Resources;

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
