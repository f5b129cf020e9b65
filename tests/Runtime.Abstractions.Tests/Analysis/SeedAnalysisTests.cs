using Runtime.Abstractions.Analysis;

namespace Runtime.Abstractions.Tests.Analysis;

/// <summary>
/// The seeds (every YAML example of the feature reference) analyzed offline, one file at a time as a user would
/// run <c>meshctl analyze -f seed.yaml</c>. They are silent except for the genuine findings listed here.
/// </summary>
public class SeedAnalysisTests
{
    private static readonly (string File, string Code, string Resource, string Path)[] Genuine =
    [
        // The guide routes app.example.com to subsets stable/canary of "app" but never defines a DestinationRule for app:
        // a sidecar would have no such cluster and answer 503 NR/UH.
        ("seed-000-production-guide.yaml", "MSH0201", "VirtualService/production/app", "spec.http[0].route[0].destination.subset"),
        ("seed-000-production-guide.yaml", "MSH0201", "VirtualService/production/app", "spec.http[0].route[1].destination.subset"),
        ("seed-000-production-guide.yaml", "MSH0201", "VirtualService/production/app", "spec.http[1].route[0].destination.subset"),
        // The egress example routes to external-api.example.com through the egress gateway without the ServiceEntry
        // Istio requires for that host (the guide omits it), so no service backs the destination.
        ("seed-000-production-guide.yaml", "MSH0101", "VirtualService/production/external-api", "spec.http[0].route[0].destination.host"),
        // The tutorial shows three alternative VirtualServices for host hello (routes, canary, fault) in one file;
        // applied together, sidecars use one of them and ignore the others.
        ("seed-001-kubernetes-istio.yaml", "MSH0302", "VirtualService/default/hello-routes", "spec.hosts[0]"),
        ("seed-001-kubernetes-istio.yaml", "MSH0302", "VirtualService/default/hello-canary", "spec.hosts[0]"),
        ("seed-001-kubernetes-istio.yaml", "MSH0302", "VirtualService/default/hello-fault", "spec.hosts[0]"),
        // hello-canary is written twice (90/10, then 75/25): applying the file keeps only the second.
        ("seed-001-kubernetes-istio.yaml", "MSH0001", "VirtualService/default/hello-canary", ""),
        // The German guide names all six of its examples "myapp" in one namespace: each is replaced by the last
        // (the Gateway-bound one), which is the only one that would take effect.
        ("seed-003-grundlagen.yaml", "MSH0001", "VirtualService/default/myapp", ""),
        ("seed-003-grundlagen.yaml", "MSH0001", "VirtualService/default/myapp", ""),
        ("seed-003-grundlagen.yaml", "MSH0001", "VirtualService/default/myapp", ""),
        ("seed-003-grundlagen.yaml", "MSH0001", "VirtualService/default/myapp", ""),
        ("seed-003-grundlagen.yaml", "MSH0001", "VirtualService/default/myapp", ""),
    ];

    public static TheoryData<string> Seeds() => [.. Directory.GetFiles(FixtureFiles.Directory("seeds"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Analyze_Seed_OnlyTheGenuineFindings(string file)
    {
        var read = ManifestAnalysis.Read([(file, FixtureFiles.Read("seeds", file))], null);
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));

        var report = ConfigAnalyzer.Analyze(read.Input);

        var expected = Genuine.Where(g => g.File == file).Select(g => $"{g.Code} {g.Resource} {g.Path}").Order(StringComparer.Ordinal);
        var found = report.Findings.Select(f => $"{f.Code} {f.Resource} {f.Path}").Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(found), $"{file}: found\n{string.Join("\n", report.Findings)}");
    }

    [Fact]
    public void Analyze_SeedWorkloads_SubsetsOfHelloSelectTheDeployments()
    {
        // seed-001 ships the hello Service and its v1/v2 Deployments: the subsets are checked against them offline.
        var read = ManifestAnalysis.Read([("seed-001", FixtureFiles.Read("seeds", "seed-001-kubernetes-istio.yaml"))], null);

        var hello = Assert.Single(read.Input.Services, s => s.Host == "hello.default.svc.cluster.local");
        Assert.Equal(["v1", "v2"], hello.Endpoints.Select(e => e.Labels["version"]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ConfigAnalyzer.Analyze(read.Input).Findings, f => f.Code == AnalysisCodes.SubsetSelectsNoEndpoints);
    }
}
