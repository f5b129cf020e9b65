using Runtime.Abstractions.Analysis;

namespace Runtime.Abstractions.Tests.Analysis;

/// <summary>
/// Fixtures/analyze holds one broken configuration per file, each with a <c># expect: CODE...</c> header naming
/// exactly the findings it must produce (a code once per expected finding). Analyzed offline, as <c>meshctl analyze -f</c> does.
/// </summary>
public class AnalyzeCorpusTests
{
    public static TheoryData<string> Corpus() => [.. Directory.GetFiles(FixtureFiles.Directory("analyze"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Analyze_SeededMistake_ExactlyTheExpectedCodes(string file)
    {
        var content = FixtureFiles.Read("analyze", file);
        var header = content.Split('\n')[0];
        Assert.StartsWith("# expect: ", header, StringComparison.Ordinal);
        var expected = header["# expect: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

        var read = ManifestAnalysis.Read([(file, content)], null);
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        var report = ConfigAnalyzer.Analyze(read.Input);

        Assert.True(
            expected.SequenceEqual(report.Findings.Select(f => f.Code).Order(StringComparer.Ordinal)),
            $"{file}: expected {string.Join(" ", expected)}, found:\n{string.Join("\n", report.Findings)}");
        Assert.All(report.Findings, f =>
        {
            Assert.Equal(file, f.Source);
            Assert.True(f.Line > 2, $"{f} has no line inside the resource");
            Assert.NotEmpty(f.Fix);
        });
    }

    [Fact]
    public void Corpus_CoversEveryCode()
    {
        var seeded = Directory.GetFiles(FixtureFiles.Directory("analyze"), "*.yaml")
            .SelectMany(f => File.ReadLines(f).First()["# expect: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet();

        Assert.All(AnalysisCodes.All, c => Assert.Contains(c.Code, seeded));
    }
}
