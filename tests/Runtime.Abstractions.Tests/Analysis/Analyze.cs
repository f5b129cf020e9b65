using Runtime.Abstractions.Analysis;
using Runtime.Abstractions.Discovery;

namespace Runtime.Abstractions.Tests.Analysis;

/// <summary>Runs the analyzer on inline YAML: offline (files only) or against a given registry (as online).</summary>
internal static class Analyze
{
    public static AnalysisReport Offline(string yaml) => ConfigAnalyzer.Analyze(Read(yaml).Input);

    public static AnalysisReport Online(string yaml, params MeshService[] registry) =>
        ConfigAnalyzer.Analyze(Read(yaml).Input with { Services = registry, RegistryComplete = true });

    public static ManifestAnalysis Read(string yaml)
    {
        var read = ManifestAnalysis.Read([("test.yaml", yaml)], null);
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        return read;
    }

    public static MeshService Service(string name, string ns, params string[] endpointLabels) => new()
    {
        Name = name,
        Namespace = ns,
        Host = ServiceHosts.For(name, ns),
        Endpoints = [.. endpointLabels.Select((labels, i) => new MeshEndpoint
        {
            Address = $"10.0.0.{i + 1}",
            Port = 15006,
            Labels = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]),
        })],
    };

    public static string[] Codes(AnalysisReport report) => [.. report.Findings.Select(f => f.Code)];

    public static string Describe(AnalysisReport report) => string.Join("\n", report.Findings);
}
